import { EVENT_TYPES, VERDICTS } from '../../../src-shared/events';
import { PAGE_SCAN_WASM } from './page-scan-wasm';

/**
 * A first sync's page read straight from its bytes: one pass over the UTF-8 that checks the events
 * the way isStrictEvent (page-check.ts) checks parsed ones, without making a JavaScript value per
 * event. Profiled on 200,000 events, decoding each 1.7 MB page to a string, JSON.parse and the walk
 * over the objects cost the fetching thread ~30 ms a page, most of it allocation and garbage
 * collection; this pass takes a few. SQLite then reads the events out of the same bytes.
 *
 * The pass itself is WebAssembly (src-wasm/page-scan.ts, compiled by `npm run build:wasm` into
 * page-scan-wasm.ts): the same reader in TypeScript took ~3.5 ms per page of 5,000 events, ~0.7 s
 * of a 1,000,000-event first sync on the thread that fetches, the scanner ~1.3 ms, the copy of the
 * page into its memory included (bench/page-scan.ts). This module gives it the words it compares
 * and reads out what it found.
 *
 * It accepts a narrow form of the page and declines (null) everything else, which then goes
 * through JSON.parse and zod as before: an unknown or repeated key anywhere, a key, type, verdict
 * or messageId with an escape, a number that is not plain digits, a page whose envelope has
 * other members than events, messages, next and lastSeq. Declining is never wrong, only slower;
 * accepting must mean the full check would accept the page with the same facts
 * (test/core/page-scan.test.ts holds the two against each other, also on mutated pages).
 *
 * The caller has made sure the bytes are UTF-8 (page-check.ts); strings may hold any of it.
 */
export interface ScannedPage {
  /** which array held the events: `events` (objects) or `rows` (src-shared/event-rows.ts) */
  shape: 'events' | 'rows';
  events: number;
  /** the distinct messageIds of the events, in order of first appearance */
  messageIds: string[];
  /** the envelope's other members (messages, next, lastSeq), each parsed with JSON.parse */
  envelope: Record<string, unknown>;
}

/**
 * The words the scanner compares keys and values with, in the order src-wasm/page-scan.ts reads
 * them (its E_*, D_*, C_* and B_* indices point into these lists): the keys of TrackingEvent,
 * EventDetail and EventClient (src-shared/events.ts), a row's body, the event types, the verdicts
 * and the two names of a page's array of events.
 */
const WORD_LISTS: readonly (readonly string[])[] = [
  ['id', 'seq', 'type', 'messageId', 'recipientEmail', 'occurredAt', 'detail', 'client', 'offerId'],
  [
    'url',
    'document',
    'sha256',
    'unit',
    'confirmation',
    'wording',
    'wordingSha256',
    'settleAt',
    'status',
    'linkIndex',
    'honeypot',
  ],
  ['verdict', 'reasons', 'correctedFrom', 'uaFamily', 'os', 'ipPrefix'],
  // a row's body (src-shared/event-rows.ts): the event's detail, client less the verdict, offerId
  ['detail', 'client', 'offerId'],
  EVENT_TYPES,
  VERDICTS,
  ['events', 'rows'],
];
/** the room the scanner keeps for WORD_LISTS (WORDS in src-wasm/page-scan.ts) */
const WORDS_ROOM = 2048;
const ENVELOPE_KEYS = ['messages', 'next', 'lastSeq'];

interface ScannerExports {
  memory: WebAssembly.Memory;
  words(): number;
  init(): void;
  reserve(length: number): number;
  scan(length: number): number;
  scannedRows(): number;
  messageSpans(): number;
  messageSpanCount(): number;
  envelopeSpans(): number;
  envelopeSpanCount(): number;
}

/** one instance per thread, made on first use */
let scanner: ScannerExports | null = null;

function instance(): ScannerExports {
  if (scanner) return scanner;
  const module = new WebAssembly.Module(Buffer.from(PAGE_SCAN_WASM, 'base64'));
  const made = new WebAssembly.Instance(module, {}).exports as unknown as ScannerExports;
  const words: number[] = [];
  for (const list of WORD_LISTS) {
    // one byte each for a list's length and a word's
    if (list.length > 255) throw new Error('page-scan: a word list too long');
    words.push(list.length);
    for (const w of list) {
      const bytes = Buffer.from(w, 'utf8');
      if (bytes.length > 255) throw new Error(`page-scan: a word too long: ${w}`);
      words.push(bytes.length, ...bytes);
    }
  }
  if (words.length > WORDS_ROOM) throw new Error('page-scan: the word lists outgrew their room');
  new Uint8Array(made.memory.buffer, made.words(), words.length).set(words);
  made.init();
  scanner = made;
  return made;
}

export function scanBulkPage(bytes: Uint8Array): ScannedPage | null {
  const x = instance();
  const base = x.reserve(bytes.length);
  if (base === 0) return null;
  // the memory's buffer is a new one after reserve() grew it
  const memory = x.memory.buffer;
  new Uint8Array(memory, base, bytes.length).set(bytes);
  let events: number;
  try {
    events = x.scan(bytes.length);
  } catch (e) {
    // the scanner declines by trapping (unreachable), and any fault of it declines too
    if (e instanceof WebAssembly.RuntimeError) return null;
    throw e;
  }
  const page = Buffer.from(memory, base, bytes.length);
  // the spans' bytes are distinct; the Set keeps the ids so where bytes that are not UTF-8 (which
  // the callers never pass) would decode alike
  const messageIds: string[] = [];
  const known = new Set<string>();
  const spans = new Uint32Array(memory, x.messageSpans(), x.messageSpanCount() * 2);
  for (let k = 0; k < spans.length; k += 2) {
    const id = page.toString('utf8', spans[k]!, spans[k + 1]!);
    if (!known.has(id)) {
      known.add(id);
      messageIds.push(id);
    }
  }
  const envelope: Record<string, unknown> = {};
  const members = new Uint32Array(memory, x.envelopeSpans(), x.envelopeSpanCount() * 4);
  for (let k = 0; k < members.length; k += 4) {
    const key = page.toString('latin1', members[k]!, members[k + 1]!);
    if (!ENVELOPE_KEYS.includes(key) || Object.hasOwn(envelope, key)) return null;
    try {
      envelope[key] = JSON.parse(page.toString('utf8', members[k + 2]!, members[k + 3]!)) as unknown;
    } catch {
      return null;
    }
  }
  return { shape: x.scannedRows() === 1 ? 'rows' : 'events', events, messageIds, envelope };
}
