import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './test/support/chromium';

/**
 * End-to-end suites (issue 18). `browser-host`: the app through the browser host in Debian's
 * Chromium, run by `npm test`, then `browser-host-alone` (ALONE) once all of them are done.
 * `electron`: the built app (`out/main`) launched with Playwright's Electron support, skipped
 * with one line when no Electron binary is installed.
 * Report, traces and screenshots: see README, "End-to-end tests".
 */
const BROWSER_HOST = {
  browserName: 'chromium' as const,
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    // only the fonts named in fonts.conf: screenshots do not depend on a machine's font set
    env: { ...process.env, FONTCONFIG_FILE: resolve('e2e/support/fonts.conf') },
  },
};

/**
 * Suites that measure time on a machine with two cores (a UI write may wait for one page of a
 * first sync: beside another suite's servers and Chromium a page took over 500 ms in CI once).
 */
const ALONE = '**/sync-responsive.spec.ts';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  globalSetup: './e2e/support/global-setup.ts',
  // the suites start real servers and build the renderer: two workers on the build machine's two cores
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  // the longest story step takes ~40 s on the 2-core build machine under a load average of 25
  timeout: 90_000,
  expect: {
    timeout: 10_000,
    toHaveScreenshot: {
      // anti-aliasing may differ by a few pixels between CPUs; a changed layout moves far more
      maxDiffPixelRatio: 0.01,
      animations: 'disabled',
      caret: 'hide',
      scale: 'css',
    },
  },
  reporter: [['list'], ['html', { outputFolder: 'test-results/playwright-report', open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  },
  projects: [
    {
      name: 'browser-host',
      testIgnore: ['electron/**', ALONE],
      use: BROWSER_HOST,
    },
    {
      // timed against the machine: run after every other suite, with nothing beside it
      name: 'browser-host-alone',
      testMatch: ALONE,
      dependencies: ['browser-host'],
      use: BROWSER_HOST,
    },
    {
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts',
      // one app at a time: a second window would fight over focus and the notification seam
      workers: 1,
    },
  ],
});
