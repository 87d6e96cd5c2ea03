import { Notification } from 'electron';
import type { Notifier } from '../core/api';

/**
 * Native notifications. Shown ones are kept referenced until closed or clicked: otherwise the
 * garbage collector may drop the object and with it the click handler (a known Electron pitfall).
 */
export function createElectronNotifier(
  onClick: (activityId: string) => void,
): Notifier & { dispose(): void } {
  const alive = new Set<Notification>();
  return {
    notify({ activityId, title, body }) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body, silent: false });
      alive.add(n);
      const release = () => alive.delete(n);
      n.on('click', () => {
        release();
        onClick(activityId);
      });
      n.on('close', release);
      n.on('failed', release);
      n.show();
    },
    dispose() {
      for (const n of alive) n.close();
      alive.clear();
    },
  };
}
