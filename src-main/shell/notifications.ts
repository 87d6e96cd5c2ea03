import { Notification } from 'electron';
import type { Notifier } from '../core/api';
import type { E2eSeams } from './e2e-seams';

/**
 * Native notifications. Shown ones are kept referenced until closed or clicked: otherwise the
 * garbage collector may drop the object and with it the click handler (a known Electron pitfall).
 */
export function createElectronNotifier(
  onClick: (activityId: string) => void,
  seams: E2eSeams | null = null,
): Notifier & { dispose(): void } {
  const alive = new Set<Notification>();
  return {
    notify({ activityId, title, body }) {
      if (!Notification.isSupported()) {
        seams?.recordNotification({ activityId, title, body, shown: false, click: () => undefined });
        return;
      }
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
      seams?.recordNotification({ activityId, title, body, shown: true, click: () => n.emit('click') });
    },
    dispose() {
      for (const n of alive) n.close();
      alive.clear();
    },
  };
}
