import { ok } from '../../../src-shared/result';
import { announceQueued, type CoreContext, type DomainHandlers } from './context';

/**
 * Property offers: the preview, sending (queued for the outbox like an e-mail), and after publishing
 * the offer's status and its legal evidence, both of which live on the collector.
 */
export function offersHandlers(ctx: CoreContext): DomainHandlers<'offers'> {
  const { offers } = ctx;
  return {
    'offers.preview': async (input) => offers.preview(input),
    'offers.send': async (input) => {
      const r = await offers.send(input);
      if (!r.ok) return r;
      const id = r.value.activityId;
      await announceQueued(ctx, id);
      return ok({ activityId: id });
    },
    'offers.get': async ({ activityId }) => offers.currentState(activityId),
    'offers.status': async ({ activityId, status }) => offers.setStatus(activityId, status),
    'offers.evidence': async ({ activityId }) => offers.evidence(activityId),
  };
}
