import { msg } from '../../../../src-shared/messages';
import { fromAppError, OFFER_NEEDS_TRACKING, outboxError, type OutboxStep } from './context';

/**
 * Step 2, offers only: the offer is published on the collector (its landing pages) before any
 * prospect's copy goes out, persisted as 'published'. Publishing is idempotent on the collector,
 * so a pass that stopped after publishing but before persisting just publishes again.
 */
export const publishOffer: OutboxStep = async (ctx, job) => {
  if (job.activity.kind !== 'offer' || !job.deliveries.some((d) => d.state === 'pending')) return 'next';
  const { deps, log } = ctx;
  const { id } = job;
  const attempts = ctx.cache.outbox.get(id)?.attempts ?? 0;
  const offers = deps.offers;
  if (!offers) {
    await ctx.persist(id, { state: 'failed', error: outboxError(msg('outboxOffersUnsupported')) });
    return 'stop';
  }
  if (offers.isPublished(id)) return 'next';
  const res = await offers.publish(id);
  if (!res.ok) {
    if (res.error.code === 'tracking_disabled') {
      deps.onTrackingDisabled();
      await ctx.persist(id, { state: 'failed', error: OFFER_NEEDS_TRACKING });
    } else if (res.error.transient) {
      await ctx.persist(id, {
        state: 'waiting_collector',
        error: fromAppError(res.error),
        attempts: attempts + 1,
        nextAttemptAt: Date.now() + ctx.backoff(attempts, res.error.retryAfterMs),
      });
    } else {
      await ctx.persist(id, { state: 'failed', error: fromAppError(res.error) });
    }
    log.warn(
      { activityId: id, code: res.error.code, detail: res.error.detail },
      'outbox: offer not published',
    );
    return 'stop';
  }
  await ctx.persist(id, { state: 'published', error: null, attempts: 0, nextAttemptAt: 0 }, () =>
    offers.markPublished(id, res.value),
  );
  return 'next';
};
