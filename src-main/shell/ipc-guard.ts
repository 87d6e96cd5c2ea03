import { ipcOperations, type IpcOperation } from '../../src-shared/ipc';
import { isAppUrl } from './url-policy';

/** Op names the renderer may call; anything else is refused before the core sees it. */
export function isKnownOperation(op: unknown): op is IpcOperation {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(ipcOperations, op);
}

/**
 * An IPC message is trusted only when it comes from the top frame of our window showing our
 * renderer: a subframe or a page that somehow navigated away must not reach the core.
 */
export function isTrustedSender(
  sender: { frameUrl: string | undefined; isMainFrame: boolean; webContentsId: number },
  expected: { webContentsId: number | null; appOrigins: readonly string[] },
): boolean {
  if (!sender.isMainFrame) return false;
  if (expected.webContentsId === null || sender.webContentsId !== expected.webContentsId) return false;
  return isAppUrl(sender.frameUrl, expected.appOrigins);
}
