import type { OutboxStep } from './context';
import { fileInSent } from './file';
import { loadMailAccount, passConfirmationGate, reportConfirmationSent } from './gate';
import { publishOffer } from './publish';
import { registerAtCollector } from './register';
import { markSent, settleRefusals } from './settle';
import { sendPendingUnits } from './send';

/**
 * One pass of the outbox over an activity, as named steps in order (the shape of Postal's
 * OutgoingMessageProcessor). Each step persists what it did before the next one starts and may
 * end the pass ('stop'); the next pass starts again at the top and every step skips what is
 * already done, so a pass cut short anywhere resumes where it stopped.
 */
export const OUTBOX_STEPS: readonly (readonly [name: string, step: OutboxStep])[] = [
  ['registerAtCollector', registerAtCollector],
  ['publishOffer', publishOffer],
  ['loadMailAccount', loadMailAccount],
  ['passConfirmationGate', passConfirmationGate],
  ['sendPendingUnits', sendPendingUnits],
  ['settleRefusals', settleRefusals],
  ['markSent', markSent],
  ['reportConfirmationSent', reportConfirmationSent],
  ['fileInSent', fileInSent],
];

export * from './context';
