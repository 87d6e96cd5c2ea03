import { msg } from '../../../../src-shared/messages';
import { CONFIRMATION_ELSEWHERE, outboxError, type OutboxJob, type OutboxStep } from './context';

/** the units (SMTP transactions) that still have to go out */
export function pendingUnits(job: OutboxJob): number[] {
  return [...new Set(job.deliveries.filter((d) => d.state === 'pending').map((d) => d.unit))];
}

/** Step 3: the agent's mail account with its passwords; without one nothing can go out or be filed. */
export const loadMailAccount: OutboxStep = async (ctx, job) => {
  job.account = await ctx.deps.mailAccount();
  if (job.account) return 'next';
  await ctx.persist(job.id, { state: 'failed', error: outboxError(msg('outboxNoMailAccount')) });
  return 'stop';
};

/**
 * Step 4, legal confirmation mails only: sent only while this desktop holds the collector's claim
 * on it. 'drop' (another desktop has it) fails it here, 'wait' (no claim yet: collector away)
 * waits with back-off.
 */
export const passConfirmationGate: OutboxStep = async (ctx, job) => {
  const confirmations = ctx.deps.confirmations;
  if (!confirmations || pendingUnits(job).length === 0) return 'next';
  const gate = await confirmations.beforeSend(job.id);
  if (gate === 'drop') {
    await ctx.persist(job.id, { state: 'failed', error: CONFIRMATION_ELSEWHERE });
    return 'stop';
  }
  if (gate === 'wait') {
    const attempts = (ctx.cache.outbox.get(job.id)?.attempts ?? 0) + 1;
    await ctx.persist(job.id, {
      state: 'waiting_collector',
      error: outboxError(msg('outboxConfirmationWaitsForCollector')),
      attempts,
      nextAttemptAt: Date.now() + ctx.backoff(attempts - 1),
    });
    return 'stop';
  }
  return 'next';
};

/** Step 8: a confirmation that went out is marked sent and reported to the collector. */
export const reportConfirmationSent: OutboxStep = async (ctx, job) => {
  await ctx.deps.confirmations?.afterSent(job.id);
  return 'next';
};
