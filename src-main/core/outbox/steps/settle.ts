import { msg } from '../../../../src-shared/messages';
import { outboxError, type OutboxStep } from './context';

/**
 * Step 6: refused recipients fail the activity, naming who (the first refusal's reason as the
 * cause); anything not yet accepted (a unit that failed to build, a pass cut short) ends here too.
 */
export const settleRefusals: OutboxStep = async (ctx, job) => {
  const failed = job.deliveries.filter((d) => d.state === 'failed');
  if (failed.length > 0) {
    const who = failed.map((d) => d.email).join(', ');
    const first = failed[0]?.error ?? null;
    await ctx.persist(job.id, {
      state: 'failed',
      error: outboxError(
        msg('outboxNotDelivered', { who }),
        first?.message ?? null,
        first?.detail ?? undefined,
      ),
    });
    return 'stop';
  }
  return job.deliveries.some((d) => d.state !== 'accepted') ? 'stop' : 'next';
};

/** Step 7: every copy accepted: the activity is sent (once; a filing retry passes through). */
export const markSent: OutboxStep = async (ctx, job) => {
  const state = ctx.cache.outbox.get(job.id)?.state;
  if (state !== 'sent' && state !== 'not_filed') {
    await ctx.persist(job.id, { state: 'sent', error: null, attempts: 0, nextAttemptAt: 0 }, () =>
      ctx.cache.activities.setSentAt(job.id, ctx.now()),
    );
  }
  return 'next';
};
