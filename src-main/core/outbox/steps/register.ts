import type { RegisterMessageResponse } from '../../../../src-shared/api';
import { msg } from '../../../../src-shared/messages';
import { extractTrackableLinks } from '../../compose';
import { planDeliveries, registrationsFor, type PlanInput } from '../plan';
import { fromAppError, OFFER_NEEDS_TRACKING, outboxError, type OutboxStep } from './context';

/**
 * Step 1: a tracked activity is registered at the collector (one registration per unit that gets
 * its own tracker), then the deliveries are planned and persisted with the 'registered' state. An
 * activity that already has deliveries was registered before: nothing to do. The collector's
 * account switch being off sends a mail untracked, but fails an offer (it needs its landing page).
 */
export const registerAtCollector: OutboxStep = async (ctx, job) => {
  if (job.deliveries.length > 0) return 'next';
  const { cache, deps, log } = ctx;
  const { id, activity: act, outbox: ob } = job;
  const input: PlanInput = {
    activityId: id,
    subject: act.subject,
    messageId: act.messageId,
    recipients: act.recipients,
    sendIndividually: act.sentIndividually,
    links: extractTrackableLinks(act.html ?? undefined, act.text ?? undefined),
  };
  let responses: RegisterMessageResponse[] | null = null;
  // issue 17: recipients „nur nach Einwilligung“ without consent yet get the consent link instead
  const consentLinks: { email: string; consentUrl: string }[] = [];
  if (act.tracked && !ob.untracked) {
    const client = deps.collector();
    if (!client) {
      await ctx.persist(id, { state: 'failed', error: outboxError(msg('outboxNoCollector')) });
      return 'stop';
    }
    responses = [];
    for (const reg of registrationsFor(input)) {
      const res = await client.registerMessage({ clientId: `${id}${reg.suffix}`, ...reg.request });
      if (!res.ok) {
        if (res.error.code === 'tracking_disabled' && act.kind === 'offer') {
          deps.onTrackingDisabled();
          await ctx.persist(id, { state: 'failed', error: OFFER_NEEDS_TRACKING });
          return 'stop';
        }
        if (res.error.code === 'tracking_disabled') {
          deps.onTrackingDisabled();
          cache.activities.setTracked(id, false);
          responses = null;
          log.info({ activityId: id }, 'outbox: tracking switched off on the collector, sending untracked');
          break;
        }
        if (res.error.transient) {
          await ctx.persist(id, {
            state: 'waiting_collector',
            error: fromAppError(res.error),
            attempts: ob.attempts + 1,
            nextAttemptAt: Date.now() + ctx.backoff(ob.attempts, res.error.retryAfterMs),
          });
          return 'stop';
        }
        await ctx.persist(id, { state: 'failed', error: fromAppError(res.error) });
        return 'stop';
      }
      cache.activities.linkCollectorMessage(id, res.value.messageId, `${id}${reg.suffix}`);
      for (const r of res.value.recipients ?? []) {
        if (r.consentUrl) consentLinks.push({ email: r.email, consentUrl: r.consentUrl });
        if (!r.tracked)
          log.info({ activityId: id, reason: r.reason }, 'outbox: the collector does not track a recipient');
      }
      responses.push(res.value);
    }
  }
  const planned = planDeliveries(input, responses);
  await ctx.persist(id, { state: 'registered', error: null, attempts: 0, nextAttemptAt: 0 }, () => {
    cache.outbox.planDeliveries(id, planned);
    cache.consent.saveConsentLinks(id, consentLinks);
  });
  job.deliveries = cache.outbox.deliveries(id);
  return 'next';
};
