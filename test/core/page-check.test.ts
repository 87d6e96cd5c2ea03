import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventClient, EventDetail, TrackingEvent } from '../../src-shared/events';
import { openCache } from '../../src-main/core/cache';
import { eventRow } from '../../src-main/core/cache/events';
import {
  checkBulkPage,
  checkBulkPageBytes,
  checkPage,
  isStrictEvent,
} from '../../src-main/core/sync/page-check';
import { eventWithEveryField } from '../support/events';

/**
 * The first sync's cheap per-event check (src-main/core/sync/page-check.ts) against the strict
 * zod schema it stands in for: whatever it accepts, TrackingEvent must accept too, and it must
 * know every field the schema has (or every page would fall back to zod without anyone noticing).
 */

/** an event with every field of the schema set */
const full = eventWithEveryField;
const minimal = {
  id: 'e-2',
  seq: 1,
  type: 'email.opened',
  messageId: 'm-1',
  recipientEmail: null,
  occurredAt: '2026-01-01T00:00:01.000Z',
  detail: {},
  client: { verdict: 'prefetch', reasons: [] },
};

/** values of every JSON kind and the edges the schema draws */
const VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  2 ** 60,
  '',
  'x',
  'email.opened',
  'human',
  [],
  ['x'],
  [1],
  {},
  { a: 1 },
];

type Json = Record<string, unknown>;
/** every variant of `base` with one field at `path` changed to each value, removed, or one added */
function variants(base: Json): Json[] {
  const out: Json[] = [];
  const clone = (): Json => JSON.parse(JSON.stringify(base)) as Json;
  const at = (o: Json, path: string[]): Json => path.reduce((x, k) => x[k] as Json, o);
  for (const path of [[], ['detail'], ['client']]) {
    const keys = [...Object.keys(at(base, path)), 'unknownField'];
    for (const key of keys) {
      for (const v of VALUES) {
        const c = clone();
        at(c, path)[key] = v;
        out.push(c);
      }
      const c = clone();
      delete at(c, path)[key];
      out.push(c);
    }
  }
  const c = clone();
  (c['client'] as Json)['reasons'] = ['a', 2];
  out.push(c);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'blitz-page-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isStrictEvent', () => {
  it('knows every field of TrackingEvent, EventDetail and EventClient', () => {
    expect(Object.keys(full).sort()).toEqual(Object.keys(TrackingEvent.shape).sort());
    expect(Object.keys(full.detail).sort()).toEqual(Object.keys(EventDetail.shape).sort());
    expect(Object.keys(full.client).sort()).toEqual(Object.keys(EventClient.shape).sort());
    expect(TrackingEvent.safeParse(full).success).toBe(true);
    expect(isStrictEvent(full)).toBe(true);
    expect(isStrictEvent(minimal)).toBe(true);
    expect(isStrictEvent({ ...minimal, offerId: null })).toBe(true);
  });

  it('accepts nothing the strict schema refuses, and refuses what it refuses (every field, every kind of value)', () => {
    let accepted = 0;
    let refused = 0;
    for (const v of [...variants(full), ...variants(minimal)]) {
      const zod = TrackingEvent.safeParse(v).success;
      const cheap = isStrictEvent(v);
      // the cheap check may only be stricter (the page then goes through zod); here it is exact
      expect({ v, cheap }).toEqual({ v, cheap: zod });
      if (cheap) accepted++;
      else refused++;
    }
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(200);
    for (const v of [null, 1, 'x', [], [full]]) expect(isStrictEvent(v)).toBe(false);
    expect(isStrictEvent(JSON.parse(`{"__proto__": {"a": 1}, ${JSON.stringify(minimal).slice(1)}`))).toBe(
      false,
    );
  });
});

describe('checkBulkPage and the page insert', () => {
  const page = (events: unknown[], extra = {}) =>
    JSON.stringify({ events, messages: [], next: 9, lastSeq: 12, ...extra });

  it('hands a clean page to SQLite as its text, which stores exactly what the row path stores', () => {
    const events = [
      { ...minimal, seq: 3 },
      { ...full, seq: 5 },
      { ...minimal, id: 'e-3', seq: 7, offerId: null, type: 'email.link_clicked', detail: { linkIndex: 2 } },
    ];
    const text = page(events);
    const checked = checkBulkPage(text);
    if (!checked.ok) throw new Error(checked.error);
    expect(checked.value.pageJson).toBe(text);
    expect(checked.value).toMatchObject({ events: 3, next: 9, lastSeq: 12, messageIds: ['m-1'] });

    const viaText = openCache(join(dir, 'text.sqlite'));
    const viaRows = openCache(join(dir, 'rows.sqlite'));
    viaText.tx(() => viaText.events.insertEventsFromPageJson(text));
    viaRows.tx(() =>
      viaRows.events.insertRowsJson(JSON.stringify(events.map((e) => eventRow(TrackingEvent.parse(e))))),
    );
    const rows = (c: typeof viaText) =>
      c.db
        .prepare(
          'SELECT id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, json(body) AS body FROM events ORDER BY seq',
        )
        .all();
    expect(rows(viaText)).toHaveLength(3);
    // the body's JSON may order keys differently; what it holds and every column must match
    const norm = (r: unknown[]) =>
      r.map((x) => ({ ...(x as Json), body: JSON.parse((x as Json)['body'] as string) as unknown }));
    expect(norm(rows(viaText))).toEqual(norm(rows(viaRows)));
    for (const e of events) expect(viaText.events.get(e.id)?.event).toEqual(TrackingEvent.parse(e));

    // replayed, and a newer version: same rule as the row path (a higher seq replaces)
    const newer = { ...minimal, seq: 8, client: { verdict: 'scanner', reasons: ['x'] } };
    viaText.tx(() => viaText.events.insertEventsFromPageJson(page([newer, { ...full, seq: 4 }])));
    expect(viaText.events.get('e-2')?.event.client.verdict).toBe('scanner');
    expect(viaText.events.get(full.id)?.event.seq).toBe(5);
    expect(viaText.events.count()).toBe(3);
    viaText.close();
    viaRows.close();
  });

  it("keeps the activity list's counters right on the bulk paths (a first sync's pages)", () => {
    const cache = openCache(join(dir, 'counters.sqlite'));
    const at = '2026-01-01T00:00:00.000Z';
    cache.activities.insert({
      id: 'act-1',
      kind: 'email',
      subject: 'Exposé',
      html: null,
      text: null,
      trackRequested: true,
      tracked: true,
      sentIndividually: true,
      messageId: '<act-1@test>',
      createdAt: at,
      sentAt: at,
      fromOtherDevice: false,
      recipients: [{ kind: 'to', email: 'a@kunde.example', name: null }],
      attachments: [],
    });
    cache.activities.linkCollectorMessage('act-1', 'm-1', 'c-1');
    const counts = () =>
      cache.db
        .prepare("SELECT event_count AS n, last_event_at AS last FROM activities WHERE id = 'act-1'")
        .get();
    const human = (id: string, seq: number, minute: number) => ({
      ...minimal,
      id,
      seq,
      occurredAt: `2026-01-01T00:0${minute}:00.000Z`,
      client: { verdict: 'human', reasons: [] },
    });
    // two people's opens and one prefetch: the list counts the two
    cache.tx(() =>
      cache.events.insertEventsFromPageJson(page([human('h-1', 1, 1), human('h-2', 2, 3), minimal])),
    );
    expect(counts()).toEqual({ n: 2, last: '2026-01-01T00:03:00.000Z' });
    // a newer version makes one a scanner: recounted, not added
    const rescored = { ...human('h-2', 9, 3), client: { verdict: 'scanner', reasons: ['x'] } };
    cache.tx(() => cache.events.insertEventsFromPageJson(page([rescored])));
    expect(counts()).toEqual({ n: 1, last: '2026-01-01T00:01:00.000Z' });
    // the row path of the bench's limit (b) counts the same way
    const row = eventRow(TrackingEvent.parse(human('h-3', 10, 5)));
    cache.tx(() => cache.events.insertRowsJson(JSON.stringify([row])));
    expect(counts()).toEqual({ n: 2, last: '2026-01-01T00:05:00.000Z' });
    cache.close();
  });

  it('sends a page with a field it does not know, or out of order, through zod (unknown fields dropped)', () => {
    const newerCollector = checkBulkPage(page([{ ...minimal, futureField: 1 }]));
    if (!newerCollector.ok) throw new Error(newerCollector.error);
    expect(newerCollector.value.pageJson).toBeUndefined();
    expect(JSON.parse(newerCollector.value.rowsJson!)).toEqual([eventRow(TrackingEvent.parse(minimal))]);

    const unordered = checkBulkPage(
      page([
        { ...full, seq: 9 },
        { ...minimal, seq: 2 },
      ]),
    );
    if (!unordered.ok) throw new Error(unordered.error);
    expect((JSON.parse(unordered.value.rowsJson!) as unknown[][]).map((r) => r[1])).toEqual([2, 9]);
  });

  it('refuses a page that is not JSON, has a wrong envelope or a wrong event', () => {
    expect(checkBulkPage('{"events": [').ok).toBe(false);
    expect(checkBulkPage(page([], { next: -1 })).ok).toBe(false);
    // the envelope around the events: zod as everywhere, the events only as an array
    for (const bad of [
      '[]',
      'null',
      '{"events": {}, "next": 1}',
      '{"next": 1}',
      '{"events": [], "next": "1"}',
    ])
      expect([bad, checkBulkPage(bad).ok, checkPage(bad).ok]).toEqual([bad, false, false]);
    expect(checkBulkPage(page([], { messages: [{ messageId: 'm-1' }] })).ok).toBe(false);
    const bare = checkBulkPage('{"events": [], "next": 3, "extra": 1}');
    if (!bare.ok) throw new Error(bare.error);
    expect(bare.value).toMatchObject({ events: 0, messages: [], next: 3, lastSeq: null });
    expect(checkBulkPage(page([{ ...minimal, seq: 0 }])).ok).toBe(false);
    expect(checkBulkPage(page([{ ...minimal, type: 'email.forwarded' }])).ok).toBe(false);
    expect(checkPage(page([{ ...minimal, client: { verdict: 'robot', reasons: [] } }])).ok).toBe(false);
  });

  it('hands a clean page on as the bytes it came in, which SQLite stores as it stores the text', () => {
    // ASCII, and UTF-8 beyond it (a confirmation's wording, an address with an umlaut)
    const events = [
      { ...minimal, seq: 3 },
      {
        ...full,
        seq: 5,
        recipientEmail: 'jürgen@kunde.example',
        detail: { ...full.detail, wording: 'Ich verlange ausdrücklich … „jetzt“ 😀' },
      },
    ];
    for (const list of [[events[0]!], events]) {
      const text = page(list);
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
      const checked = checkBulkPageBytes(bytes);
      if (!checked.ok) throw new Error(checked.error);
      expect(checked.value.pageJson).toBe(bytes);
      expect(checked.value).toMatchObject({ events: list.length, next: 9, lastSeq: 12, messageIds: ['m-1'] });
      const viaBytes = openCache(join(dir, `bytes-${list.length}.sqlite`));
      const viaText = openCache(join(dir, `text-${list.length}.sqlite`));
      viaBytes.tx(() => viaBytes.events.insertEventsFromPageJson(bytes));
      viaText.tx(() => viaText.events.insertEventsFromPageJson(text));
      const rows = (c: typeof viaText) => c.db.prepare('SELECT * FROM events ORDER BY seq').all();
      expect(rows(viaBytes)).toEqual(rows(viaText));
      for (const e of list) expect(viaBytes.events.get(e.id)?.event).toEqual(TrackingEvent.parse(e));
      viaBytes.close();
      viaText.close();
    }
  });

  it('refuses bytes that are not exactly UTF-8 JSON (what it checked must be what SQLite reads)', () => {
    const text = page([minimal]);
    const at = text.indexOf('prefetch');
    const withBytes = (...b: number[]) =>
      new Uint8Array([...Buffer.from(text.slice(0, at)), ...b, ...Buffer.from(text.slice(at))]);
    // a stray byte, a truncated sequence, an overlong '/', a UTF-16 surrogate encoded as UTF-8
    for (const bad of [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const r = checkBulkPageBytes(withBytes(...bad));
      expect(r).toEqual({ ok: false, error: 'page is not UTF-8' });
    }
    // a byte order mark is not JSON (a decoder that drops it would check other text than SQLite reads)
    const bom = checkBulkPageBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]));
    expect(bom.ok).toBe(false);
    expect(checkBulkPageBytes(new Uint8Array(Buffer.from('{"events": ['))).ok).toBe(false);
    expect(checkBulkPageBytes(new Uint8Array(Buffer.from(page([{ ...minimal, seq: 0 }])))).ok).toBe(false);
    // valid bytes of a newer collector's page: through zod, as rows (the bytes are not used)
    const newer = checkBulkPageBytes(new Uint8Array(Buffer.from(page([{ ...minimal, futureField: 'ä' }]))));
    if (!newer.ok) throw new Error(newer.error);
    expect(newer.value.pageJson).toBeUndefined();
    expect(JSON.parse(newer.value.rowsJson!)).toEqual([eventRow(TrackingEvent.parse(minimal))]);
    // a view into a larger buffer is read where it stands
    const big = Buffer.from(`xx${text}yy`);
    const view = new Uint8Array(big.buffer, big.byteOffset + 2, Buffer.byteLength(text));
    expect(checkBulkPageBytes(view).ok).toBe(true);
  });

  it('checkPage gives the page as zod would for clean and for newer-collector events', () => {
    const clean = checkPage(page([full, minimal]));
    if (!clean.ok) throw new Error(clean.error);
    expect(clean.value.events).toEqual([TrackingEvent.parse(full), TrackingEvent.parse(minimal)]);
    const newer = checkPage(page([{ ...full, detail: { ...full.detail, newThing: true } }]));
    if (!newer.ok) throw new Error(newer.error);
    expect(newer.value.events).toEqual([TrackingEvent.parse(full)]);
  });
});
