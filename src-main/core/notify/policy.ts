import { countsAsPerson, type EventType, type TrackingEvent } from '../../../src-shared/events';
import type { NotificationPrefs } from '../../../src-shared/ipc';
import type { Language, Translator } from '../i18n';

export interface AppliedEvent {
  event: TrackingEvent;
  activityId: string;
  subject: string;
  personName: string | null;
}

export interface PendingNotification {
  activityId: string;
  title: string;
  body: string;
}

/** These matter enough to notify each time, never coalesced. */
export const IMMEDIATE_TYPES: ReadonlySet<EventType> = new Set([
  'mail.replied',
  'mail.bounced',
  'landing.expose_downloaded',
  'landing.unit_liked',
  'landing.cancellation_policy_opened',
]);

/**
 * Decides which newly applied events become desktop notifications:
 * - nothing while the first sync pulls history (`history`),
 * - only verdicts that count as the person (human, proxy),
 * - per-type preferences and the master switch,
 * - worded in the agent's UI language (the shell shows them while no window may be open),
 * - bursts coalesced: after a notification for (activity, person, type), further ones within
 *   `burstWindowMs` of it (by occurredAt) are swallowed, except the IMMEDIATE_TYPES.
 */
export function createNotificationPolicy(burstWindowMs: number, translator: Translator) {
  const lastNotified = new Map<string, number>();
  const prune = (now: number) => {
    for (const [k, t] of lastNotified) if (Math.abs(now - t) >= burstWindowMs) lastNotified.delete(k);
  };

  return {
    decide(
      applied: readonly AppliedEvent[],
      prefs: NotificationPrefs,
      history: boolean,
      /** the UI language: the notification is worded in it */
      language: Language = 'de',
    ): PendingNotification[] {
      if (history || !prefs.enabled) return [];
      const out: PendingNotification[] = [];
      const ordered = [...applied].sort((a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt));
      for (const a of ordered) {
        const e = a.event;
        if (!countsAsPerson(e.client.verdict)) continue;
        // issue 19: an out-of-office answer is shown in the feed, quietly
        if (e.type === 'mail.auto_replied') continue;
        if (prefs.types[e.type] === false) continue;
        if (!IMMEDIATE_TYPES.has(e.type)) {
          const key = `${a.activityId}\u0000${e.recipientEmail ?? ''}\u0000${e.type}`;
          const at = Date.parse(e.occurredAt);
          const last = lastNotified.get(key);
          if (last !== undefined && Math.abs(at - last) < burstWindowMs) continue;
          lastNotified.set(key, at);
          if (lastNotified.size > 10_000) prune(at);
        }
        out.push({
          activityId: a.activityId,
          title: translator.eventSentence(language, {
            type: e.type,
            personName: a.personName,
            recipientEmail: e.recipientEmail,
            detail: e.detail,
          }),
          body: translator.notificationBody(language, a.subject),
        });
      }
      return out;
    },
  };
}
export type NotificationPolicy = ReturnType<typeof createNotificationPolicy>;
