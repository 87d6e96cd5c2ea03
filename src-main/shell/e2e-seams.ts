import { app } from 'electron';

/**
 * What the Electron e2e suite (e2e/electron/) needs to observe the shell, switched on only by the
 * environment its launcher sets; without BLITZ_E2E=1 nothing here is active.
 * - BLITZ_USER_DATA_DIR: userData (cache, secrets, window state) in the test's own folder.
 * - BLITZ_E2E=1: native notifications and links handed to the system browser are also recorded
 *   on `globalThis.__blitzE2e` in the main process, where Playwright's `electronApp.evaluate()`
 *   reads them and clicks a notification the way the desktop would; the browser is not started.
 */
export interface E2eNotificationRecord {
  activityId: string;
  title: string;
  body: string;
  /** false when the platform reported no notification support and nothing was shown */
  shown: boolean;
  click(): void;
}

export interface E2eRecorder {
  notifications: E2eNotificationRecord[];
  openedExternally: string[];
}

declare global {
  var __blitzE2e: E2eRecorder | undefined;
}

export interface E2eSeams {
  recordNotification(n: E2eNotificationRecord): void;
  openExternal(url: string): void;
}

/** Call before anything reads userData (the single-instance lock lives there too). */
export function e2eSeams(env: NodeJS.ProcessEnv = process.env): E2eSeams | null {
  const userData = env['BLITZ_USER_DATA_DIR'];
  if (userData) app.setPath('userData', userData);
  if (env['BLITZ_E2E'] !== '1') return null;
  const recorder: E2eRecorder = { notifications: [], openedExternally: [] };
  globalThis.__blitzE2e = recorder;
  return {
    recordNotification: (n) => void recorder.notifications.push(n),
    openExternal: (url) => void recorder.openedExternally.push(url),
  };
}
