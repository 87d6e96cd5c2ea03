import { ok } from '../../../src-shared/result';
import { announceQueued, type CoreContext, type DomainHandlers } from './context';

/** Property offers: the preview, and sending, which queues the offer for the outbox like an e-mail. */
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
  };
}
