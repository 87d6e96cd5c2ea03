import type { EventsResponse, MessageSummary } from '../../../src-shared/api';
import type { TrackingEvent } from '../../../src-shared/events';
import type { ApplyOutcome, SyncCache } from '../cache';
import type { BulkPage } from './page-check';

export type { BulkPage };

export const CURSOR_KEY = 'sync.cursor';

export interface AppliedChange {
  event: TrackingEvent;
  outcome: Exclude<ApplyOutcome, 'unchanged'>;
  /** null when the message is not (yet) known locally */
  activityId: string | null;
}

export interface PageResult {
  changes: AppliedChange[];
  /** activities created from other devices' registrations */
  newActivities: string[];
  cursor: number;
}

/**
 * Applies one pulled page in ONE transaction: message registrations, events (upserted by id,
 * a higher seq replaces) and the cursor (never moved backwards). Applying the same page twice,
 * an older page after a newer one, or overlapping pages changes nothing the second time.
 */
export function applyPage(
  cache: SyncCache,
  page: Pick<EventsResponse, 'events' | 'messages' | 'next'>,
): PageResult {
  return cache.tx(() => {
    const newActivities: string[] = [];
    for (const m of [...page.messages].sort((a, b) => a.seq - b.seq)) {
      const created = applyMessage(cache, m);
      if (created) newActivities.push(created);
    }
    const changes: AppliedChange[] = [];
    const events = isSortedBySeq(page.events) ? page.events : [...page.events].sort((a, b) => a.seq - b.seq);
    const outcomes = cache.events.applyMany(events);
    // a page's events belong to few messages: one lookup per message, not per event
    const activityOf = new Map<string, string | null>();
    for (let i = 0; i < events.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome === 'unchanged') continue;
      const e = events[i]!;
      let activityId = activityOf.get(e.messageId);
      if (activityId === undefined) {
        activityId = cache.activities.activityIdForMessage(e.messageId);
        activityOf.set(e.messageId, activityId);
      }
      changes.push({ event: e, outcome, activityId });
    }
    const prev = cache.meta.get<number>(CURSOR_KEY) ?? 0;
    const cursor = Math.max(prev, page.next);
    if (cursor !== prev) cache.meta.set(CURSOR_KEY, cursor);
    return { changes, newActivities, cursor };
  });
}

export interface BulkResult {
  newActivities: string[];
  /** local activities whose events changed */
  touched: string[];
  cursor: number;
}

/**
 * applyPage for a first sync: the same transaction (registrations, events, cursor together), but
 * the events go in as one statement over the page's rows and nothing is told about each event
 * (a first sync raises no notification and no live feed entry, only which activities changed).
 */
export function applyBulkPage(cache: SyncCache, page: BulkPage): BulkResult {
  return cache.tx(() => {
    const newActivities: string[] = [];
    for (const m of [...page.messages].sort((a, b) => a.seq - b.seq)) {
      const created = applyMessage(cache, m);
      if (created) newActivities.push(created);
    }
    if (page.events > 0) {
      if (page.pageJson !== undefined) {
        if (page.shape === 'rows') cache.events.insertRowsFromPageJson(page.pageJson);
        else cache.events.insertEventsFromPageJson(page.pageJson);
      } else cache.events.insertRowsJson(page.rowsJson);
    }
    const touched: string[] = [];
    for (const id of page.messageIds) {
      const activityId = cache.activities.activityIdForMessage(id);
      if (activityId) touched.push(activityId);
    }
    const prev = cache.meta.get<number>(CURSOR_KEY) ?? 0;
    const cursor = Math.max(prev, page.next);
    if (cursor !== prev) cache.meta.set(CURSOR_KEY, cursor);
    return { newActivities, touched, cursor };
  });
}

/** links a registration to its local activity, or creates one for a send from another device */
function applyMessage(cache: SyncCache, m: MessageSummary): string | null {
  if (cache.activities.activityIdForClientId(m.clientId)) return null;
  const isBcc = m.clientId.endsWith(':bcc');
  const base = isBcc ? m.clientId.slice(0, -':bcc'.length) : m.clientId;
  const recipients = m.recipients.map((r) => ({
    kind: isBcc ? ('bcc' as const) : ('to' as const),
    email: r.email,
    name: r.name ?? null,
  }));
  cache.contacts.remember(recipients, m.createdAt);
  if (cache.activities.exists(base)) {
    cache.activities.linkCollectorMessage(base, m.messageId, m.clientId);
    const a = cache.activities.get(base);
    if (a?.fromOtherDevice) cache.activities.addRecipients(base, recipients);
    return null;
  }
  cache.activities.insert({
    id: base,
    kind: 'email',
    subject: m.subject,
    html: null,
    text: null,
    trackRequested: true,
    tracked: true,
    sentIndividually: m.sentIndividually && !isBcc,
    messageId: `<${base}@collector>`,
    createdAt: m.createdAt,
    sentAt: m.createdAt,
    fromOtherDevice: true,
    recipients,
    attachments: [],
  });
  cache.activities.linkCollectorMessage(base, m.messageId, m.clientId);
  return base;
}

function isSortedBySeq(events: readonly { seq: number }[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i - 1]!.seq > events[i]!.seq) return false;
  return true;
}
