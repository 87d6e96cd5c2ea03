import { exportEvidence } from '../evidence/export';
import type { CoreContext, DomainHandlers } from './context';

/** issue 16: „Nachweis exportieren“, the Nachweisakte of one recipient, stored where the adapter says */
export function evidenceHandlers(ctx: CoreContext): DomainHandlers<'evidence'> {
  return {
    'evidence.export': async (input) =>
      exportEvidence({ cache: ctx.cache, client: () => ctx.client(), save: ctx.options.saveEvidence }, input),
  };
}
