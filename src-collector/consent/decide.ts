import type { Recipient, Tracker } from '../../src-shared/api';
import type {
  ConsentSettings,
  ContactConsent,
  RecipientTracking,
  UntrackedReason,
} from '../../src-shared/consent';
import { clickUrl, pixelUrl } from '../../src-shared/tracking-urls';
import type { MessageRecord } from '../store/types';
import { consentUrl, withdrawUrl } from './urls';

/**
 * Whether a contact may be tracked now: its own mode, else the account default. A withdrawal
 * stops tracking whatever the mode says, until the prospect consents again; the agent cannot
 * override it.
 */
export function contactDecision(
  settings: ConsentSettings,
  contact: ContactConsent | undefined,
): { tracked: true; reason: null } | { tracked: false; reason: Exclude<UntrackedReason, 'shared_copy'> } {
  const mode = contact?.mode ?? settings.consentDefault;
  if (mode === 'never') return { tracked: false, reason: 'contact_never' };
  if (contact?.state === 'withdrawn') return { tracked: false, reason: 'consent_withdrawn' };
  if (mode === 'after_consent' && contact?.state !== 'given')
    return { tracked: false, reason: 'consent_missing' };
  return { tracked: true, reason: null };
}

export interface TrackingAnswer {
  trackers: Tracker[];
  recipients: RecipientTracking[];
}

/**
 * The registration's answer as the collector enforces it: every recipient's tracker is stored
 * (its token also names the landing page and the consent page), but only a recipient who may be
 * tracked gets a pixel and rewritten links, and only what the account's switches allow. A copy
 * shared by several recipients is tracked only when all of them may be.
 */
export function trackingAnswer(
  message: MessageRecord,
  settings: ConsentSettings,
  contacts: ReadonlyMap<string, ContactConsent>,
  publicUrl: string,
): TrackingAnswer {
  const decide = (r: Recipient) => contactDecision(settings, contacts.get(r.email.trim().toLowerCase()));
  const opens = settings.trackOpens;
  const clicks = settings.trackClicks;
  const tracker = (token: string, recipientEmail: string | null): Tracker => ({
    recipientEmail,
    pixelUrl: pixelUrl(publicUrl, token),
    ...(opens ? {} : { pixel: false }),
    links: clicks ? message.links.map((url, n) => ({ url, trackedUrl: clickUrl(publicUrl, token, n) })) : [],
    // one index past the real links: the same shape as a real tracked link, so nothing tells it apart
    ...(clicks ? { honeypotUrl: clickUrl(publicUrl, token, message.links.length) } : {}),
    // a shared copy names one person only when it has one recipient
    ...(settings.withdrawalLink && (recipientEmail !== null || message.recipients.length === 1)
      ? { withdrawUrl: withdrawUrl(publicUrl, token) }
      : {}),
  });
  if (!message.sentIndividually) {
    const decisions = message.recipients.map((r) => ({ r, d: decide(r) }));
    const all = decisions.every((x) => x.d.tracked);
    const shared = message.trackers.find((t) => t.recipientEmail === null);
    return {
      trackers: all && shared ? [tracker(shared.token, null)] : [],
      recipients: decisions.map(({ r, d }) => ({
        email: r.email,
        tracked: all,
        reason: all ? null : (d.reason ?? 'shared_copy'),
        opens: all && opens,
        clicks: all && clicks,
        // one recipient: the shared tracker is theirs, so it can carry their consent link
        ...(d.reason === 'consent_missing' && shared && decisions.length === 1
          ? { consentUrl: consentUrl(publicUrl, shared.token) }
          : {}),
      })),
    };
  }
  const trackers: Tracker[] = [];
  const recipients: RecipientTracking[] = [];
  for (const r of message.recipients) {
    const t = message.trackers.find((x) => x.recipientEmail?.toLowerCase() === r.email.toLowerCase());
    const d = decide(r);
    if (d.tracked && t) trackers.push(tracker(t.token, t.recipientEmail));
    recipients.push({
      email: r.email,
      tracked: d.tracked,
      reason: d.reason,
      opens: d.tracked && opens,
      clicks: d.tracked && clicks,
      ...(d.reason === 'consent_missing' && t ? { consentUrl: consentUrl(publicUrl, t.token) } : {}),
    });
  }
  return { trackers, recipients };
}
