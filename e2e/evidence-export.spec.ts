import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import type { TestCollector } from '../test/support/collector';
import type { AppUnderTest } from '../test/support/e2e-stack';
import {
  connectAgentWithoutMail,
  openSyncedActivity,
  registerAsOtherDesktop,
} from './support/registered-mail';
import { expect, screenshot, test } from './support/fixtures';

const run = promisify(execFile);

/**
 * Issue 16 on the desktop: „Nachweis exportieren“ in the Blitz of a sent mail. The core fetches the
 * Nachweisakte from the real collector, checks it and the browser host hands it over as two
 * downloads; the downloaded nachweis.json passes `npm run verify-evidence` (the offline verifier a
 * lawyer would run). With the collector gone, the agent reads a German error and nothing is saved.
 */
test.use({ stack: 'evidence-export' });
test.describe.configure({ mode: 'serial' });

let collector: TestCollector;
let app: AppUnderTest;
let page: Page;
let dir: string;

test.beforeAll(async ({ agentPage, app: a, collector: c }) => {
  collector = c;
  app = a;
  page = agentPage;
  dir = mkdtempSync(join(tmpdir(), 'blitz-evidence-e2e-'));
  await connectAgentWithoutMail(app, collector);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.describe('Nachweis exportieren', () => {
  test('downloads nachweis.json and nachweis.pdf; the JSON passes the verifier', async () => {
    // the mail is registered on the collector directly (as from another desktop of the agent)
    const r = await registerAsOtherDesktop(collector, {
      clientId: 'evidence-e2e',
      subject: 'Exposé Birkenweg 4',
      sentIndividually: true,
      recipients: [{ email: 'jonas@kunde.example', name: 'Jonas Beispiel' }],
      links: ['https://www.example.org/expose'],
    });
    // the prospect opens the mail: an event record next to the message's
    const pixel = await fetch(r.trackers[0]!.pixelUrl, {
      headers: {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'x-forwarded-for': '93.200.14.7',
      },
    });
    expect(pixel.status).toBe(200);

    await openSyncedActivity(page, app, 'Exposé Birkenweg 4');
    await page.getByTestId('feed-item').first().waitFor({ timeout: 15_000 });

    const button = page.getByTestId('evidence-export-button');
    await expect(button).toHaveText('Nachweis exportieren');
    const downloads: Promise<import('@playwright/test').Download>[] = [
      page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().endsWith('nachweis.json') }),
      page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().endsWith('nachweis.pdf') }),
    ];
    await button.click();
    const [json, pdf] = await Promise.all(downloads);
    expect(json!.suggestedFilename()).toMatch(
      /^Nachweis jonas@kunde\.example \d{4}-\d\d-\d\d \d{4} nachweis\.json$/,
    );
    const jsonPath = join(dir, 'nachweis.json');
    const pdfPath = join(dir, 'nachweis.pdf');
    await json!.saveAs(jsonPath);
    await pdf!.saveAs(pdfPath);
    const done = page.getByTestId('evidence-export-done');
    await expect(done).toContainText('geprüft: gültig');
    await expect(done).toContainText('heruntergeladen');
    await screenshot(page, '16-evidence-export-done');

    const file = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
      email: string;
      records: { record: { kind: string } }[];
    };
    expect(file.email).toBe('jonas@kunde.example');
    const kinds = file.records.map((x) => x.record.kind);
    expect(kinds).toContain('message');
    expect(kinds).toContain('event');
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // the verifier a third party runs, pinned to the key the collector serves
    const pem = await (await fetch(`${collector.url}/.well-known/blitz-evidence-key`)).text();
    const keyPath = join(dir, 'key.pem');
    await import('node:fs').then((fs) => fs.writeFileSync(keyPath, pem));
    const verified = await run('npx', ['tsx', 'scripts/verify-evidence.ts', jsonPath, '--key', keyPath], {
      cwd: process.cwd(),
    });
    expect(verified.stdout).toContain('gültig');
    expect(verified.stdout).not.toContain('ungültig');

    // one flipped byte in a record and the verifier says so (exit 1): the download is the evidence
    const tampered = readFileSync(jsonPath, 'utf8').replace('jonas@kunde.example', 'jonas@kunde.exampl3');
    const tamperedPath = join(dir, 'tampered.json');
    await import('node:fs').then((fs) => fs.writeFileSync(tamperedPath, tampered));
    const bad = await run('npx', ['tsx', 'scripts/verify-evidence.ts', tamperedPath]).then(
      () => 0,
      (e: { code?: number }) => e.code ?? -1,
    );
    expect(bad).toBe(1);
  });

  test('collector unreachable: a German error, no download', async () => {
    let downloaded = false;
    page.on('download', () => (downloaded = true));
    await collector.close();
    await page.getByTestId('evidence-export-button').click();
    const error = page.getByTestId('evidence-export-error');
    await expect(error).toContainText('Der Tracking-Server ist nicht erreichbar', { timeout: 30_000 });
    await expect(error).toContainText('nicht exportiert');
    await expect(page.getByTestId('evidence-export-done')).toHaveCount(0);
    await screenshot(page, '16-evidence-export-unreachable');
    expect(downloaded).toBe(false);
  });
});
