import type { Notifier } from '../core/api';

export interface RecordedNotification {
  activityId: string;
  title: string;
  body: string;
  at: string;
}

/**
 * The browser host has no desktop notifications: it records them (for tests and the in-page
 * toasts, which render the core's `notification` events) and tells listeners.
 */
export class RecordingNotifier implements Notifier {
  readonly shown: RecordedNotification[] = [];
  private readonly listeners = new Set<(n: RecordedNotification) => void>();

  notify(n: { activityId: string; title: string; body: string }): void {
    const rec = { ...n, at: new Date().toISOString() };
    this.shown.push(rec);
    // a long-running host must not grow without bound
    if (this.shown.length > 1000) this.shown.splice(0, this.shown.length - 1000);
    for (const l of this.listeners) l(rec);
  }

  onNotify(listener: (n: RecordedNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
