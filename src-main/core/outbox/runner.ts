import { msg } from '../../../src-shared/messages';
import { createStepContext, INTERRUPTED, loadJob, outboxError, OUTBOX_STEPS, type OutboxDeps } from './steps';

export type { OfferSteps, OutboxDeps } from './steps';

/**
 * Works the outbox: one activity at a time, every step persisted before it is taken, so a
 * process killed anywhere resumes without losing or doubling a message. A kill while an SMTP
 * transaction may have been in flight leaves `uncertain`, which only the agent resolves.
 */
export function createOutboxRunner(deps: OutboxDeps) {
  const { cache, timing, log } = deps;
  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: string | null = null;
  let currentStep: string | null = null;
  let idle: Promise<void> = Promise.resolve();

  const ctx = createStepContext(deps);
  const { persist: step, now } = ctx;

  /** marks everything a dead process left in flight as uncertain; run once at start */
  function recoverInterrupted(): string[] {
    const ids = cache.outbox.interrupted();
    for (const id of ids) {
      cache.tx(() => {
        cache.outbox.replaceDeliveryState(id, 'sending', 'uncertain');
        cache.outbox.update(id, { state: 'uncertain', error: INTERRUPTED }, now());
      });
      log.warn({ activityId: id }, 'outbox: send interrupted at an unknown point, marked uncertain');
    }
    return ids;
  }

  /** a throw mid-step: a copy possibly in flight is as unknown as after a crash */
  async function failUnexpectedly(id: string): Promise<void> {
    const inFlight = cache.outbox.deliveries(id).some((d) => d.state === 'sending');
    if (inFlight) {
      await step(id, { state: 'uncertain', error: INTERRUPTED }, () =>
        cache.outbox.replaceDeliveryState(id, 'sending', 'uncertain'),
      );
      return;
    }
    await step(id, {
      state: 'retrying',
      error: outboxError(msg('outboxInternalError')),
      nextAttemptAt: Date.now() + timing.retryMaxMs,
    });
  }

  /** the collector is back: activities waiting for it need not sit out their back-off */
  function collectorBack(): void {
    if (cache.outbox.wakeWaiting() > 0) kick();
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    idle = (async () => {
      try {
        do {
          again = false;
          for (const id of cache.outbox.due(Date.now())) {
            if (stopped) return;
            current = id;
            try {
              await process(id);
            } catch (e) {
              log.error(
                { activityId: id, step: currentStep, err: e instanceof Error ? e.message : String(e) },
                'outbox: step failed',
              );
              await failUnexpectedly(id);
            } finally {
              current = null;
              currentStep = null;
            }
          }
        } while (again && !stopped);
      } finally {
        running = false;
        scheduleNext();
      }
    })();
  }

  function scheduleNext(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const t = cache.outbox.nextDueAt();
    if (t === null) return;
    timer = setTimeout(kick, Math.max(0, Math.min(t - Date.now(), 2 ** 31 - 1)));
  }

  /** one pass over the activity: the named steps in order until one stops (steps/index.ts) */
  async function process(id: string): Promise<void> {
    const job = loadJob(cache, id);
    if (!job) return;
    for (const [name, run] of OUTBOX_STEPS) {
      currentStep = name;
      if ((await run(ctx, job)) === 'stop') return;
    }
  }

  return {
    recoverInterrupted,
    kick,
    collectorBack,
    /** the activity the worker is on right now: resolving it must wait */
    busy: (id: string) => current === id,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await idle.catch(() => undefined);
    },
  };
}
export type OutboxRunner = ReturnType<typeof createOutboxRunner>;
