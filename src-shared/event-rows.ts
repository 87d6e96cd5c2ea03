import type { TrackingEvent } from './events';

/**
 * The rows shape of a pull page (GET /api/v1/events?shape=rows), asked for by a desktop's first
 * sync: each event as one array in the column order of the desktop cache's events table,
 *
 *   [id, seq, messageId, type, recipientEmail, occurredAt, verdict, {detail, client, offerId?}]
 *
 * where the last member is the event's body: its detail, its client without the verdict, and its
 * offerId when it has one. The same events as the events shape, a fifth fewer bytes (no key per
 * event), and what the cache stores without rebuilding each event's body (cache/events.ts).
 * A row means exactly the event eventOfWireRow makes of it; a desktop checks that event as it
 * checks one of the events shape (sync/page-check.ts, sync/page-scan.ts).
 */
export type EventWireRow = [
  id: string,
  seq: number,
  messageId: string,
  type: TrackingEvent['type'],
  recipientEmail: string | null,
  occurredAt: string,
  verdict: TrackingEvent['client']['verdict'],
  body: WireRowBody,
];
export interface WireRowBody {
  detail: TrackingEvent['detail'];
  client: Omit<TrackingEvent['client'], 'verdict'>;
  offerId?: string | null;
}

export const EVENTS_SHAPES = ['events', 'rows'] as const;
export type EventsShape = (typeof EVENTS_SHAPES)[number];

/** the row of an event, its body's keys in the order the SQLite store writes them */
export function wireRowOfEvent(e: TrackingEvent): EventWireRow {
  const { verdict, ...client } = e.client;
  const body: WireRowBody =
    e.offerId === undefined ? { detail: e.detail, client } : { detail: e.detail, client, offerId: e.offerId };
  return [e.id, e.seq, e.messageId, e.type, e.recipientEmail, e.occurredAt, verdict, body];
}

/**
 * The event a received row stands for, unchecked (the caller checks it as any received event).
 * Anything but an array of eight with an object last comes back as it is, and fails that check.
 */
export function eventOfWireRow(row: unknown): unknown {
  if (!Array.isArray(row) || row.length !== 8) return row;
  const body: unknown = row[7];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return row;
  const { client, ...rest } = body as Record<string, unknown>;
  const clientObject =
    typeof client === 'object' && client !== null && !Array.isArray(client) ? client : { client };
  // the row's own members win over a body that names them too
  return {
    ...rest,
    id: row[0],
    seq: row[1],
    messageId: row[2],
    type: row[3],
    recipientEmail: row[4],
    occurredAt: row[5],
    client: { ...clientObject, verdict: row[6] },
  };
}
