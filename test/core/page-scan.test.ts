import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventClient, EventDetail, TrackingEvent, VERDICTS } from '../../src-shared/events';
import { openCache } from '../../src-main/core/cache';
import { eventRow } from '../../src-main/core/cache/events';
import { eventOfWireRow, wireRowOfEvent } from '../../src-shared/event-rows';
import { checkBulkPageBytes, checkBulkPageParsed } from '../../src-main/core/sync/page-check';
import { scanBulkPage } from '../../src-main/core/sync/page-scan';
import { seededRandom as rng } from '../../src-shared/seeded-random';
import { eventWithEveryField } from '../support/events';

/**
 * The byte scan of a first sync's page (src-main/core/sync/page-scan.ts) against the full check it
 * stands in for (JSON.parse, the strict walk, zod for the envelope). Whatever the scan accepts,
 * the full check must accept with the same facts, and SQLite must store from the bytes exactly
 * the events JSON.parse saw. Declining is allowed (only slower), so the clean pages of a collector
 * are also counted: the scan must take them, or every first sync would quietly be slow.
 */

const STRINGS = [
  'x',
  '',
  'https://example.org/a?b=1&c=2',
  'Ich verlange ausdrücklich … „jetzt“ 😀',
  'quote " and backslash \\ and slash /',
  'tab\tnewline\n',
  'jürgen@kunde.example',
];

function eventOf(r: () => number, seq: number, messageId: string): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const e: Record<string, unknown> = {
    id: `0190a1b2-c3d4-7e5f-8a9b-${String(seq).padStart(12, '0')}`,
    seq,
    type: pick(['email.opened', 'email.link_clicked', 'landing.legal_confirmed', 'mail.bounced']),
    messageId,
    recipientEmail: r() < 0.2 ? null : pick(STRINGS),
    occurredAt: '2026-01-01T00:00:00.000Z',
    detail: {},
    client: { verdict: pick(['human', 'proxy', 'scanner', 'prefetch']), reasons: [] as string[] },
  };
  if (r() < 0.3) e['offerId'] = r() < 0.5 ? null : 'o-1';
  const detail = e['detail'] as Record<string, unknown>;
  if (r() < 0.5) detail['url'] = pick(STRINGS);
  if (r() < 0.3) detail['linkIndex'] = Math.floor(r() * 20);
  if (r() < 0.2) detail['honeypot'] = r() < 0.5;
  if (r() < 0.2) detail['wording'] = pick(STRINGS);
  if (r() < 0.1) detail['status'] = '5.1.1';
  const client = e['client'] as Record<string, unknown>;
  client['reasons'] = Array.from({ length: Math.floor(r() * 3) }, () =>
    pick(['ua.browser', 'ip.sender', 'a"b']),
  );
  if (r() < 0.5) client['uaFamily'] = 'Chrome';
  if (r() < 0.5) client['ipPrefix'] = '203.0.113.0/24';
  if (r() < 0.1) client['correctedFrom'] = 'scanner';
  // the keys in another order now and then (a collector may write them in any)
  if (r() < 0.2) return Object.fromEntries(Object.entries(e).reverse());
  return e;
}

/** an event of eventOf as its row (src-shared/event-rows.ts), the body's keys in either order */
function rowOf(r: () => number, e: Record<string, unknown>): unknown[] {
  const { verdict, ...client } = e['client'] as Record<string, unknown>;
  const body: Record<string, unknown> = { detail: e['detail'], client };
  if ('offerId' in e) body['offerId'] = e['offerId'];
  const ordered = r() < 0.2 ? Object.fromEntries(Object.entries(body).reverse()) : body;
  return [
    e['id'],
    e['seq'],
    e['messageId'],
    e['type'],
    e['recipientEmail'],
    e['occurredAt'],
    verdict,
    ordered,
  ];
}

type Shape = 'events' | 'rows';

function pageOf(
  r: () => number,
  events: number,
  style: 'compact' | 'spaced' | 'indented',
  shape: Shape = 'events',
): string {
  const list = Array.from({ length: events }, (_, k) => eventOf(r, 10 + k * 2, `m-${Math.floor(k / 3)}`));
  const page = {
    [shape]: shape === 'rows' ? list.map((e) => rowOf(r, e)) : list,
    messages: r() < 0.3 ? [] : undefined,
    next: 10 + events * 2,
    lastSeq: r() < 0.5 ? 999 : undefined,
  };
  if (style === 'compact') return JSON.stringify(page);
  // PostgreSQL's json text puts spaces after colons and commas
  if (style === 'spaced') return JSON.stringify(page).replace(/([,:])(?=["{[\dtfn-])/g, '$1 ');
  return JSON.stringify(page, null, 2);
}

const dir = mkdtempSync(join(tmpdir(), 'blitz-page-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** what SQLite stores from the bytes, against what JSON.parse made of them (as the row path stores it) */
function storesWhatWasChecked(bytes: Uint8Array, text: string, n: number, shape: Shape = 'events'): void {
  const cache = openCache(join(dir, `c-${n}.sqlite`));
  try {
    cache.tx(() =>
      shape === 'rows'
        ? cache.events.insertRowsFromPageJson(bytes)
        : cache.events.insertEventsFromPageJson(bytes),
    );
    const page = JSON.parse(text) as { events?: unknown[]; rows?: unknown[] };
    const events = shape === 'rows' ? (page.rows ?? []).map(eventOfWireRow) : (page.events ?? []);
    const parsed = events.map((e) => TrackingEvent.parse(e));
    expect(cache.events.count()).toBe(new Set(parsed.map((e) => e.id)).size);
    for (const e of parsed) expect(cache.events.get(e.id)?.event).toEqual(e);
  } finally {
    cache.close();
    rmSync(join(dir, `c-${n}.sqlite`), { force: true });
  }
}

describe('scanBulkPage', () => {
  it('takes clean pages in every layout and gives the facts the full check gives', () => {
    const r = rng(1);
    let taken = 0;
    for (let k = 0; k < 300; k++) {
      const style = (['compact', 'spaced', 'indented'] as const)[k % 3]!;
      const shape: Shape = k % 2 === 0 ? 'events' : 'rows';
      const text = pageOf(r, 1 + Math.floor(r() * 8), style, shape);
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
      const full = checkBulkPageParsed(text);
      const fast = checkBulkPageBytes(bytes);
      if (!full.ok || !fast.ok) throw new Error(`${text}: ${JSON.stringify([full, fast])}`);
      const { pageJson: _a, rowsJson: _b, ...facts } = full.value;
      expect(fast.value).toMatchObject(facts);
      if (scanBulkPage(bytes)) {
        taken++;
        expect(fast.value.pageJson).toBe(bytes);
        expect(fast.value.shape).toBe(shape);
      }
      if (k % 10 === 0) {
        // a view into a larger buffer whose rest holds other bytes: SQLite reads only the view
        const reused = new Uint8Array(bytes.length + 64).fill(0x7b);
        reused.set(bytes);
        const view = new Uint8Array(reused.buffer, 0, bytes.length);
        const viewed = checkBulkPageBytes(view);
        if (!viewed.ok) throw new Error(viewed.error);
        expect(viewed.value.pageJson).toBe(view);
        storesWhatWasChecked(view, text, k, shape);
      }
    }
    // every one of these is clean: the scan must not decline them
    expect(taken).toBe(300);
    for (const shape of ['events', 'rows'] as const)
      expect(scanBulkPage(new Uint8Array(Buffer.from(`{"${shape}":[],"next":0}`)))).toEqual({
        shape,
        events: 0,
        messageIds: [],
        envelope: { next: 0 },
      });
  });

  it('accepts no mutated page the full check would refuse or read differently', () => {
    const r = rng(7);
    // bytes that change what JSON means, and some that only break it
    const inserts = [
      '"',
      '\\',
      ',',
      ':',
      '{',
      '}',
      '[',
      ']',
      ' ',
      '0',
      '1',
      '.',
      'e',
      '-',
      'n',
      'u',
      '\n',
      '\u0001',
      'ä',
    ];
    let accepted = 0;
    let declined = 0;
    let stored = 0;
    for (let k = 0; k < 4000; k++) {
      const shape: Shape = k % 4 < 2 ? 'events' : 'rows';
      const base = pageOf(r, 1 + Math.floor(r() * 3), k % 2 === 0 ? 'compact' : 'spaced', shape);
      let text = base;
      const mutations = 1 + Math.floor(r() * 2);
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(r() * text.length);
        const kind = r();
        if (kind < 0.3) text = text.slice(0, at) + text.slice(at + 1);
        else if (kind < 0.6)
          text = text.slice(0, at) + inserts[Math.floor(r() * inserts.length)]! + text.slice(at);
        else if (kind < 0.8) {
          // a member repeated: `,"key":value` copied right after itself
          const from = text.indexOf(',"', at);
          const to = from < 0 ? -1 : text.indexOf(',"', from + 2);
          if (to > from) text = text.slice(0, to) + text.slice(from, to) + text.slice(to);
        } else {
          // a number changed (a row's seq is its second member)
          const odd = ['0', '01', '1.0', '1e1', '-1', '9007199254740993', '2'][Math.floor(r() * 7)]!;
          text =
            shape === 'rows'
              ? text.replace(/(\["[^"]*", ?)\d+/, `$1${odd}`)
              : text.replace(/"seq":\d+/, `"seq":${odd}`);
        }
      }
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
      const scanned = scanBulkPage(bytes);
      if (!scanned) {
        declined++;
        continue;
      }
      accepted++;
      // accepted: JSON, the full check takes it as a clean page with the same facts
      const full = checkBulkPageParsed(text);
      if (!full.ok) throw new Error(`scan took what the check refuses: ${text}`);
      expect(scanned.events).toBe(full.value.events);
      expect(scanned.messageIds).toEqual(full.value.messageIds);
      const fast = checkBulkPageBytes(bytes);
      if (!fast.ok) throw new Error(`bytes refused: ${text}`);
      expect({ next: fast.value.next, lastSeq: fast.value.lastSeq, messages: fast.value.messages }).toEqual({
        next: full.value.next,
        lastSeq: full.value.lastSeq,
        messages: full.value.messages,
      });
      expect(scanned.shape).toBe(shape);
      if (text !== base && stored < 150) storesWhatWasChecked(bytes, text, 1000 + stored++, shape);
    }
    // the mutants must have exercised both sides
    expect(accepted).toBeGreaterThan(200);
    expect(declined).toBeGreaterThan(2000);
    expect(stored).toBeGreaterThan(50);
  });

  it('takes an event with every field of the schema (the scan knows every key TrackingEvent has)', () => {
    const every = {
      ...eventWithEveryField,
      seq: 3,
      detail: { ...eventWithEveryField.detail, honeypot: true },
    };
    expect(Object.keys(every).sort()).toEqual(Object.keys(TrackingEvent.shape).sort());
    expect(Object.keys(every.detail).sort()).toEqual(Object.keys(EventDetail.shape).sort());
    expect(Object.keys(every.client).sort()).toEqual(Object.keys(EventClient.shape).sort());
    const text = JSON.stringify({ events: [every], messages: [], next: 3 });
    expect(scanBulkPage(new Uint8Array(Buffer.from(text)))).toMatchObject({ events: 1, messageIds: ['m-1'] });
    for (const verdict of VERDICTS) {
      const t = JSON.stringify({ events: [{ ...every, client: { verdict, reasons: [] } }], next: 3 });
      expect(scanBulkPage(new Uint8Array(Buffer.from(t)))).not.toBeNull();
    }
    for (const type of EVENT_TYPES) {
      const t = JSON.stringify({ events: [{ ...every, type }], next: 3 });
      expect(scanBulkPage(new Uint8Array(Buffer.from(t)))).not.toBeNull();
    }
  });

  it('takes the rows shape only as eventOfWireRow reads it: eight members, the body strict, no verdict in it', () => {
    const event = TrackingEvent.parse({ ...eventWithEveryField, seq: 3 });
    const row = wireRowOfEvent(event);
    const scan = (rows: unknown[]): ReturnType<typeof scanBulkPage> =>
      scanBulkPage(new Uint8Array(Buffer.from(JSON.stringify({ rows, next: 3 }))));
    expect(scan([row])).toMatchObject({ shape: 'rows', events: 1, messageIds: ['m-1'] });
    const body = row[7] as unknown as Record<string, unknown>;
    const client = body['client'] as Record<string, unknown>;
    const declined: unknown[][] = [
      row.slice(0, 7),
      [...row, 1],
      [...row.slice(0, 7), { ...body, client: { ...client, verdict: 'human' } }],
      [...row.slice(0, 7), { detail: body['detail'] }],
      [...row.slice(0, 7), { ...body, id: 'other' }],
      [...row.slice(0, 6), 'person', body],
      [row[0], '3', ...row.slice(2)],
    ];
    for (const d of declined) expect(scan([d]), JSON.stringify(d)).toBeNull();
    // a page with both arrays is neither
    const both = JSON.stringify({ rows: [row], events: [], next: 3 });
    expect(scanBulkPage(new Uint8Array(Buffer.from(both)))).toBeNull();
    expect(checkBulkPageParsed(both).ok).toBe(false);
    // declined rows go through the full check, which reads them as eventOfWireRow does
    const checked = checkBulkPageParsed(
      JSON.stringify({ rows: [[...row.slice(0, 7), { ...body, extra: 1 }]], next: 3 }),
    );
    if (!checked.ok) throw new Error(checked.error);
    expect(JSON.parse(checked.value.rowsJson!)).toEqual([eventRow(event)]);
  });

  it('declines a repeated key, which JSON.parse and SQLite read differently, and sends the page on as rows', () => {
    const text =
      '{"events":[{"id":"e-1","seq":1,"type":"email.opened","messageId":"m-1","recipientEmail":null,' +
      '"occurredAt":"2026-01-01T00:00:00.000Z","detail":{},"client":{"verdict":"human","reasons":[]},' +
      '"client":{"verdict":"scanner","reasons":[]}}],"next":1}';
    const bytes = new Uint8Array(Buffer.from(text));
    expect(scanBulkPage(bytes)).toBeNull();
    const checked = checkBulkPageBytes(bytes);
    if (!checked.ok) throw new Error(checked.error);
    expect(checked.value.pageJson).toBeUndefined();
    const cache = openCache(join(dir, 'repeated.sqlite'));
    cache.tx(() => cache.events.insertRowsJson(checked.value.rowsJson!));
    // what JSON.parse saw (the last one) is what is stored
    expect(cache.events.get('e-1')?.event.client.verdict).toBe('scanner');
    cache.close();
  });

  it('declines what it does not read itself: other envelope members, escapes in compared strings, odd numbers', () => {
    const ok = JSON.parse(pageOf(rng(3), 2, 'compact')) as Record<string, unknown>;
    const decl = (o: unknown): boolean =>
      scanBulkPage(new Uint8Array(Buffer.from(JSON.stringify(o)))) === null;
    expect(decl(ok)).toBe(false);
    expect(decl({ ...ok, extra: 1 })).toBe(true);
    expect(decl({ next: 1 })).toBe(true);
    const ev = (ok['events'] as Record<string, unknown>[])[0]!;
    const raw = JSON.stringify({ events: [ev], next: 1 });
    const scan = (t: string) => scanBulkPage(new Uint8Array(Buffer.from(t)));
    expect(scan(raw)).not.toBeNull();
    expect(scan(raw.replace('"messageId":"m-0"', '"messageId":"m\\u002d0"'))).toBeNull();
    expect(scan(raw.replace('"type"', '"t\\u0079pe"'))).toBeNull();
    expect(scan(raw.replace(/"seq":\d+/, '"seq":10.0'))).toBeNull();
    expect(scan(raw.replace(/"seq":\d+/, '"seq":1e1'))).toBeNull();
    expect(scan(raw.replace(/"seq":\d+/, '"seq":0'))).toBeNull();
    expect(scan(raw.replace('"detail":{', '"detail":{"__proto__":"x",'))).toBeNull();
    // a byte order mark, trailing bytes
    expect(scan(`\ufeff${raw}`)).toBeNull();
    expect(scan(`${raw}x`)).toBeNull();
    expect(scan(`${raw}\n`)).not.toBeNull();
  });
});
