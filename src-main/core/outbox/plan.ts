import { createHash } from 'node:crypto';
import type { RegisterMessageRequest, RegisterMessageResponse, Tracker } from '../../../src-shared/api';
import type { ActivityRecipient, Delivery } from '../cache';

export type PlannedDelivery = Omit<Delivery, 'state' | 'error'>;

/** One registration with the collector; `suffix` '' is the activity's main message. */
export interface Registration {
  suffix: '' | ':bcc';
  request: Omit<RegisterMessageRequest, 'clientId'>;
}

export interface PlanInput {
  activityId: string;
  subject: string;
  messageId: string;
  recipients: readonly ActivityRecipient[];
  sendIndividually: boolean;
  links: string[];
}

/**
 * Which collector registrations a tracked send needs. Visible recipients sent as one message
 * share one tracker; BCC recipients of a tracked send always get their own copies and trackers,
 * registered separately (client id suffixed ':bcc') so they never share the visible tracker.
 */
export function registrationsFor(p: PlanInput): Registration[] {
  const asRecipient = (r: ActivityRecipient) =>
    r.name ? { email: r.email, name: r.name } : { email: r.email };
  const visible = p.recipients.filter((r) => r.kind !== 'bcc');
  const bcc = p.recipients.filter((r) => r.kind === 'bcc');
  if (p.sendIndividually || visible.length === 0) {
    return [
      {
        suffix: '',
        request: {
          subject: p.subject,
          sentIndividually: true,
          recipients: p.recipients.map(asRecipient),
          links: p.links,
        },
      },
    ];
  }
  const regs: Registration[] = [
    {
      suffix: '',
      request: {
        subject: p.subject,
        sentIndividually: false,
        recipients: visible.map(asRecipient),
        links: p.links,
      },
    },
  ];
  if (bcc.length > 0) {
    regs.push({
      suffix: ':bcc',
      request: {
        subject: p.subject,
        sentIndividually: true,
        recipients: bcc.map(asRecipient),
        links: p.links,
      },
    });
  }
  return regs;
}

/**
 * The SMTP transactions of an activity. `responses` holds the collector's answers to
 * `registrationsFor` (same order), or null for an untracked send.
 */
export function planDeliveries(p: PlanInput, responses: RegisterMessageResponse[] | null): PlannedDelivery[] {
  if (responses === null) {
    if (p.sendIndividually) {
      return p.recipients.map((r, unit) => ({
        email: r.email,
        unit,
        messageId: copyMessageId(p.messageId, r.email),
        tracker: null,
      }));
    }
    return p.recipients.map((r) => ({ email: r.email, unit: 0, messageId: p.messageId, tracker: null }));
  }
  const trackers = responses.flatMap((r) => r.trackers);
  const personal = (email: string): Tracker | null =>
    trackers.find((t) => t.recipientEmail?.toLowerCase() === email.toLowerCase()) ?? null;
  const shared = responses[0]?.trackers.find((t) => t.recipientEmail === null) ?? null;
  const regs = registrationsFor(p);
  const sharedMode = regs[0]?.request.sentIndividually === false;

  const out: PlannedDelivery[] = [];
  let unit = 0;
  if (sharedMode) {
    for (const r of p.recipients.filter((x) => x.kind !== 'bcc')) {
      out.push({ email: r.email, unit: 0, messageId: p.messageId, tracker: shared });
    }
    unit = 1;
  }
  for (const r of p.recipients) {
    if (sharedMode && r.kind !== 'bcc') continue;
    out.push({
      email: r.email,
      unit: unit++,
      messageId: copyMessageId(p.messageId, r.email),
      tracker: personal(r.email),
    });
  }
  return out;
}

/** A stable Message-ID for one recipient's copy, derived from the activity's. */
export function copyMessageId(base: string, email: string): string {
  const inner = base.replace(/^<|>$/g, '');
  const at = inner.lastIndexOf('@');
  const h = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 12);
  return at === -1 ? `<${inner}.${h}>` : `<${inner.slice(0, at)}.${h}${inner.slice(at)}>`;
}
