import { isAscii, isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { EventsResponse } from '../../../src-shared/api';
import { eventOfWireRow } from '../../../src-shared/event-rows';
import { EVENT_TYPES, VERDICTS, type TrackingEvent } from '../../../src-shared/events';
import { err, ok, type Result } from '../../../src-shared/result';
import { eventRow } from '../cache/events';
import { scanBulkPage } from './page-scan';
import { ReceivedEventsResponse } from '../../../src-shared/api';

/**
 * A first sync's page as the collector sent it, checked for the bulk path without a zod parse per
 * event. Profiled on 100,000 events, zod over every event cost 0.9–1.6 s and turning the checked
 * objects back into rows JSON for SQLite another 0.7–1.6 s, together more than the cache's own
 * insert; later JSON.parse of each 1.7 MB page and the walk over its objects still cost the
 * fetching thread more than the insert's half. So: one pass over the page's bytes
 * (page-scan.ts) checks the events as isStrictEvent below would, the envelope (messages, next,
 * lastSeq) goes through zod as everywhere, and SQLite reads the events out of the page itself
 * (cache/events.ts, insertEventsFromPageJson).
 *
 * isStrictEvent accepts only what the strict TrackingEvent accepts (test/core/page-check.test.ts
 * holds the two against each other). A page the scan declines, an unknown field of a newer
 * collector for one, is parsed and checked in full (checkBulkPageParsed: unknown fields dropped,
 * a wrong one refused) and goes on as rows, so the fast path never stores what the checked one
 * would not.
 */
const EnvelopeRest = EventsResponse.omit({ events: true });
type Envelope = z.infer<typeof EnvelopeRest> & { events: unknown[] };

/**
 * EventsResponse with its events left unchecked (the callers check them): zod over everything
 * else, the events only as an array, since z.array(z.unknown()) still visited each of a first
 * sync's 1,000,000 events (~0.3-0.6 s).
 */
function envelopeOf(json: unknown): Result<Envelope, string> {
  if (!isObject(json) || !Array.isArray(json['events'])) return err('page: no events array');
  const events = json['events'] as unknown[];
  // an object's unknown keys (events among them here) are left out by zod, not visited
  const rest = EnvelopeRest.safeParse(json);
  if (!rest.success) return err(rest.error.message.slice(0, 500));
  return ok({ ...rest.data, events });
}

/** A checked first-sync page: either its own text (SQLite reads the events) or rows made in JS. */
export type BulkPageEvents =
  /**
   * the page's text, or the UTF-8 bytes it was decoded from (checkBulkPageBytes); every event
   * passed isStrictEvent, in seq order; `shape`: whether they are objects or rows
   * (src-shared/event-rows.ts)
   */
  | { pageJson: string | Uint8Array; shape: 'events' | 'rows'; rowsJson?: undefined }
  /** JSON array of EventRow (cache/events.ts), in seq order */
  | { rowsJson: string; pageJson?: undefined; shape?: undefined };

/** A page of a first sync as the fetching side hands it to the writing one (sync/apply.ts). */
export type BulkPage = BulkPageEvents & {
  events: number;
  /** the distinct collector message ids of the page's events */
  messageIds: string[];
  messages: EventsResponse['messages'];
  next: number;
};

export type CheckedBulkPage = BulkPage & { lastSeq: number | null };

/** checks one page's text (as checkBulkPageBytes its bytes); the error is a detail for the log */
export function checkBulkPage(text: string): Result<CheckedBulkPage, string> {
  return checkScanned(new Uint8Array(Buffer.from(text, 'utf8')), text, () => text);
}

/**
 * checkBulkPage over the bytes of the answer: a clean page is handed on as these bytes, which
 * SQLite reads as text (cache/events.ts). Only bytes that are valid UTF-8 go on, decoded exactly
 * (no replacement characters, a byte order mark kept, which JSON.parse then refuses), so what was
 * checked here and what SQLite reads are the same text. The bytes must not change afterwards.
 */
export function checkBulkPageBytes(bytes: Uint8Array): Result<CheckedBulkPage, string> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = isAscii(buf);
  if (!ascii && !isUtf8(buf)) return err('page is not UTF-8');
  // an ASCII page decodes as latin1, the same text, 3-4 times faster than UTF-8 decoding
  return checkScanned(bytes, bytes, () => buf.toString(ascii ? 'latin1' : 'utf8'));
}

/**
 * The scan's facts for a page it accepts (handed on as `pageJson`, its text or its bytes);
 * otherwise the full check of its text, handed on as rows, never as the page itself: a key given
 * twice, for one, is the last one to JSON.parse and the first one to SQLite.
 */
function checkScanned(
  bytes: Uint8Array,
  pageJson: string | Uint8Array,
  text: () => string,
): Result<CheckedBulkPage, string> {
  const scanned = scanBulkPage(bytes);
  if (scanned) {
    const rest = EnvelopeRest.safeParse(scanned.envelope);
    if (rest.success) {
      const { messages, next, lastSeq } = rest.data;
      return ok({
        events: scanned.events,
        messages,
        next,
        lastSeq: lastSeq ?? null,
        pageJson,
        shape: scanned.shape,
        messageIds: scanned.messageIds,
      });
    }
  }
  return checkBulkPageParsed(text());
}

/**
 * The full check the scan stands in for (test/core/page-scan.test.ts holds the two against each
 * other): JSON.parse, then isStrictEvent per event or zod over the page; the events go on as rows
 * (a JSON array of EventRow).
 */
export function checkBulkPageParsed(text: string): Result<CheckedBulkPage, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return err(`page is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const asEvents = eventsOfRows(parsed);
  if (!asEvents.ok) return asEvents;
  const json = asEvents.value;
  const envelope = envelopeOf(json);
  if (!envelope.ok) return envelope;
  const { events, messages, next, lastSeq } = envelope.value;
  const head = { events: events.length, messages, next, lastSeq: lastSeq ?? null };
  let fast = true;
  let prevSeq = 0;
  for (const e of events) {
    if (!isStrictEvent(e) || e.seq < prevSeq) {
      fast = false;
      break;
    }
    prevSeq = e.seq;
  }
  let checked: readonly TrackingEvent[];
  if (fast) {
    // every one passed isStrictEvent above
    checked = events as TrackingEvent[];
  } else {
    const full = ReceivedEventsResponse.safeParse(json);
    if (!full.success) return err(full.error.message.slice(0, 500));
    checked = full.data.events;
  }
  const sorted = [...checked].sort((a, b) => a.seq - b.seq);
  return ok({
    ...head,
    rowsJson: JSON.stringify(sorted.map(eventRow)),
    messageIds: [...new Set(sorted.map((e) => e.messageId))],
  });
}

/**
 * A page of the rows shape as the page of events it stands for (each row as eventOfWireRow makes
 * it), so it is checked as one; any other value is left as it is. A page with both is refused.
 */
function eventsOfRows(json: unknown): Result<unknown, string> {
  if (!isObject(json) || !('rows' in json)) return ok(json);
  if ('events' in json) return err('page: both events and rows');
  const { rows, ...rest } = json;
  if (!Array.isArray(rows)) return err('page: rows is not an array');
  return ok({ ...rest, events: rows.map(eventOfWireRow) });
}

/**
 * An ordinary pull page (a catch-up: events and their outcomes are needed as objects), checked
 * the same way: events that pass isStrictEvent are taken as parsed; otherwise the whole page goes
 * through ReceivedEventsResponse. A catch-up of 1,000 events spent ~10 ms in zod alone.
 */
export function checkPage(text: string): Result<EventsResponse, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(`page is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const envelope = envelopeOf(json);
  if (!envelope.ok) return envelope;
  const { events } = envelope.value;
  if (events.every(isStrictEvent)) return ok({ ...envelope.value, events });
  const full = ReceivedEventsResponse.safeParse(json);
  return full.success ? ok(full.data) : err(full.error.message.slice(0, 500));
}

const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const VERDICT_SET: ReadonlySet<unknown> = new Set(VERDICTS);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): boolean => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * TrackingEvent (src-shared/events.ts) by hand: every key known, every value of its type, every
 * required key present. A key it does not know makes it false (the zod path then decides).
 */
export function isStrictEvent(v: unknown): v is TrackingEvent {
  if (!isObject(v)) return false;
  let required = 0;
  for (const key in v) {
    const x = v[key];
    switch (key) {
      case 'id':
      case 'messageId':
      case 'occurredAt':
        if (typeof x !== 'string') return false;
        required++;
        break;
      case 'seq':
        if (!isInt(x, 1)) return false;
        required++;
        break;
      case 'type':
        if (!EVENT_TYPE_SET.has(x)) return false;
        required++;
        break;
      case 'recipientEmail':
        if (x !== null && typeof x !== 'string') return false;
        required++;
        break;
      case 'offerId':
        if (x !== null && typeof x !== 'string') return false;
        break;
      case 'detail':
        if (!isStrictDetail(x)) return false;
        required++;
        break;
      case 'client':
        if (!isStrictClient(x)) return false;
        required++;
        break;
      default:
        return false;
    }
  }
  // id, seq, type, messageId, recipientEmail, occurredAt, detail, client
  return required === 8;
}

function isStrictDetail(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const key in v) {
    const x = v[key];
    switch (key) {
      case 'url':
      case 'document':
      case 'sha256':
      case 'unit':
      case 'confirmation':
      case 'wording':
      case 'wordingSha256':
      case 'settleAt':
      case 'status':
        if (typeof x !== 'string') return false;
        break;
      case 'linkIndex':
        if (!isInt(x, 0)) return false;
        break;
      case 'honeypot':
        if (typeof x !== 'boolean') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isStrictClient(v: unknown): boolean {
  if (!isObject(v)) return false;
  let verdict = false;
  let reasons = false;
  for (const key in v) {
    const x = v[key];
    switch (key) {
      case 'verdict':
        if (!VERDICT_SET.has(x)) return false;
        verdict = true;
        break;
      case 'correctedFrom':
        if (!VERDICT_SET.has(x)) return false;
        break;
      case 'reasons':
        if (!Array.isArray(x) || !x.every((r) => typeof r === 'string')) return false;
        reasons = true;
        break;
      case 'uaFamily':
      case 'os':
      case 'ipPrefix':
        if (typeof x !== 'string') return false;
        break;
      default:
        return false;
    }
  }
  return verdict && reasons;
}
