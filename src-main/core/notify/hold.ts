import { countsAsPerson } from '../../../src-shared/events';
import { HoldQueue, settleAtOf, settleDelayMs } from '../../../src-shared/hold';
import type { AppliedEvent } from './policy';

export interface NotificationHoldDeps {
  /** pulls what the collector has now (a revision by a later hit) and resolves once it is applied */
  refresh(): Promise<void>;
  /** the event as the cache holds it now, or null */
  current(eventId: string): AppliedEvent['event'] | null;
  /** the held events, read again after the hold: those that still count as the person notify */
  release(events: AppliedEvent[]): void;
  log: { warn(o: object, msg?: string): void };
  now?: () => number;
}

/**
 * The desktop half of the notification hold-back (issue 21, src-shared/hold.ts): a new event
 * whose verdict is a person's but carries a `settleAt` waits — together with the other held
 * events of its sent message — until it settles, at most 30 s; then the sync pulls once more,
 * the verdict is read again from the cache and only what still counts as the person goes on to
 * the notification policy. Everything else passes straight through.
 */
export function createNotificationHold(deps: NotificationHoldDeps) {
  const now = deps.now ?? Date.now;
  const queue = new HoldQueue<AppliedEvent>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let releasing: Promise<void> = Promise.resolve();

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const due = queue.nextDue();
    if (due === null || stopped) return;
    timer = setTimeout(
      () => {
        timer = null;
        releasing = releasing.then(releaseDue, releaseDue);
      },
      Math.max(0, due - now()),
    );
  }

  async function releaseDue(): Promise<void> {
    if (stopped) return;
    const due = queue.takeDue(now());
    arm();
    if (due.length === 0) return;
    try {
      await deps.refresh();
    } catch (e) {
      // what the cache has is still the best answer: a revision the pull missed is the only loss
      deps.log.warn(
        { err: e instanceof Error ? e.message : String(e) },
        'notify: refresh before release failed',
      );
    }
    if (stopped) return;
    const still: AppliedEvent[] = [];
    for (const { item } of due) {
      const event = deps.current(item.event.id) ?? item.event;
      if (countsAsPerson(event.client.verdict)) still.push({ ...item, event });
    }
    deps.release(still);
  }

  return {
    /** the part of `applied` to notify now; the rest is held and released later */
    admit(applied: readonly AppliedEvent[]): AppliedEvent[] {
      const t = now();
      const pass: AppliedEvent[] = [];
      for (const a of applied) {
        const settleAt = settleAtOf(a.event.detail);
        const delay =
          settleAt === null || !countsAsPerson(a.event.client.verdict)
            ? 0
            : settleDelayMs(Date.parse(a.event.occurredAt), settleAt, t);
        if (delay <= 0 || stopped) pass.push(a);
        else queue.add(a.event.messageId, a, delay, t);
      }
      arm();
      return pass;
    },
    /** resolves once the releases in progress are done (tests, shutdown) */
    idle: () => releasing,
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
export type NotificationHold = ReturnType<typeof createNotificationHold>;
