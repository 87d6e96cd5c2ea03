import { EVENT_TYPES, VERDICTS } from '../../../src-shared/events';

/**
 * A first sync's page read straight from its bytes: one pass over the UTF-8 that checks the events
 * the way isStrictEvent (page-check.ts) checks parsed ones, without making a JavaScript value per
 * event. Profiled on 200,000 events, decoding each 1.7 MB page to a string, JSON.parse and the walk
 * over the objects cost the fetching thread ~30 ms a page, most of it allocation and garbage
 * collection; this pass takes a few. SQLite then reads the events out of the same bytes.
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

export function scanBulkPage(bytes: Uint8Array): ScannedPage | null {
  try {
    return new PageScanner(bytes).page();
  } catch (e) {
    if (e === DECLINE) return null;
    throw e;
  }
}

/** thrown inside the scanner, caught in scanBulkPage: one cheap object, no stack */
const DECLINE = { decline: true };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;

const bytesOf = (list: readonly string[]): Uint8Array[] => list.map((s) => new Uint8Array(Buffer.from(s)));

// the keys of TrackingEvent, EventDetail and EventClient (src-shared/events.ts), as bytes
const EVENT_KEYS = bytesOf([
  'id',
  'seq',
  'type',
  'messageId',
  'recipientEmail',
  'occurredAt',
  'detail',
  'client',
  'offerId',
]);
const [E_ID, E_SEQ, E_TYPE, E_MESSAGE, E_RECIPIENT, E_OCCURRED, E_DETAIL, E_CLIENT, E_OFFER] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8,
] as const;
/** the eight keys an event must have (all but offerId) */
const EVENT_REQUIRED = 0xff;

const DETAIL_KEYS = bytesOf([
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
]);
const D_LINK_INDEX = 9;
const D_HONEYPOT = 10;

const CLIENT_KEYS = bytesOf(['verdict', 'reasons', 'correctedFrom', 'uaFamily', 'os', 'ipPrefix']);
const [C_VERDICT, C_REASONS, C_CORRECTED] = [0, 1, 2] as const;

// a row's body (src-shared/event-rows.ts): the event's detail, client less the verdict, offerId
const BODY_KEYS = bytesOf(['detail', 'client', 'offerId']);
const [B_DETAIL, B_CLIENT] = [0, 1] as const;
const BODY_REQUIRED = (1 << B_DETAIL) | (1 << B_CLIENT);

const TYPES = bytesOf(EVENT_TYPES);
const OF_EVENT = 0;
const OF_DETAIL = 1;
const OF_CLIENT = 2;
const OF_BODY = 3;
const OF_ROW_CLIENT = 4;
type ObjectOf = typeof OF_EVENT | typeof OF_DETAIL | typeof OF_CLIENT | typeof OF_BODY | typeof OF_ROW_CLIENT;
const ITEM_EVENT = 0;
const ITEM_STRING = 1;
const ITEM_ROW = 2;
type ArrayOf = typeof ITEM_EVENT | typeof ITEM_STRING | typeof ITEM_ROW;
const VERDICT_BYTES = bytesOf(VERDICTS);
const ENVELOPE_KEYS = ['messages', 'next', 'lastSeq'];
const EVENTS_KEYS = bytesOf(['events', 'rows']);

class PageScanner {
  private i = 0;
  private readonly n: number;
  private readonly buf: Buffer;
  private prevSeq = 0;
  private readonly messageIds: string[] = [];
  /** the same ids, looked up in: a page of 5,000 events may name thousands of messages */
  private readonly messageIdSet = new Set<string>();
  /** the last messageId's bytes: a page's events mostly come in runs of one message */
  private lastMessageStart = -1;
  private lastMessageEnd = -1;

  constructor(private readonly b: Uint8Array) {
    this.n = b.length;
    this.buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }

  page(): ScannedPage {
    const envelope: Record<string, unknown> = {};
    let events = -1;
    let shape: ScannedPage['shape'] = 'events';
    this.ws();
    this.expect(LBRACE);
    this.ws();
    for (;;) {
      const s = this.plainString();
      const e = this.i - 1;
      this.ws();
      this.expect(COLON);
      this.ws();
      const k = matchSpan(this.b, s, e, EVENTS_KEYS);
      if (k >= 0) {
        // one array of events, in either shape
        if (events >= 0) throw DECLINE;
        shape = k === 0 ? 'events' : 'rows';
        events = this.array(k === 0 ? ITEM_EVENT : ITEM_ROW);
      } else {
        const key = this.buf.toString('latin1', s, e);
        if (!ENVELOPE_KEYS.includes(key) || Object.hasOwn(envelope, key)) throw DECLINE;
        const v0 = this.i;
        this.skipValue();
        try {
          envelope[key] = JSON.parse(this.buf.toString('utf8', v0, this.i)) as unknown;
        } catch {
          throw DECLINE;
        }
      }
      this.ws();
      if (this.at() === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      this.expect(RBRACE);
      break;
    }
    this.ws();
    if (this.i !== this.n || events < 0) throw DECLINE;
    return { shape, events, messageIds: this.messageIds, envelope };
  }

  private event(): void {
    const seen = this.object(EVENT_KEYS, OF_EVENT);
    if ((seen & EVENT_REQUIRED) !== EVENT_REQUIRED) throw DECLINE;
  }

  private eventValue(k: number): void {
    switch (k) {
      case E_ID:
      case E_OCCURRED:
        this.string();
        break;
      case E_SEQ: {
        const seq = this.uint();
        if (seq < 1 || seq < this.prevSeq) throw DECLINE;
        this.prevSeq = seq;
        break;
      }
      case E_TYPE: {
        const s = this.plainString();
        if (matchSpan(this.b, s, this.i - 1, TYPES) < 0) throw DECLINE;
        break;
      }
      case E_MESSAGE:
        this.messageId();
        break;
      case E_RECIPIENT:
      case E_OFFER:
        if (this.at() === QUOTE) this.string();
        else this.literal(NULL);
        break;
      case E_DETAIL:
        this.object(DETAIL_KEYS, OF_DETAIL);
        break;
      case E_CLIENT: {
        const seen = this.object(CLIENT_KEYS, OF_CLIENT);
        const required = (1 << C_VERDICT) | (1 << C_REASONS);
        if ((seen & required) !== required) throw DECLINE;
        break;
      }
    }
  }

  /**
   * [id, seq, messageId, type, recipientEmail, occurredAt, verdict, body]: each member as
   * eventValue reads the event's member of that name, the verdict as clientValue reads it
   */
  private row(): void {
    this.expect(LBRACK);
    this.ws();
    this.eventValue(E_ID);
    this.comma();
    this.eventValue(E_SEQ);
    this.comma();
    this.eventValue(E_MESSAGE);
    this.comma();
    this.eventValue(E_TYPE);
    this.comma();
    this.eventValue(E_RECIPIENT);
    this.comma();
    this.eventValue(E_OCCURRED);
    this.comma();
    this.clientValue(C_VERDICT);
    this.comma();
    if ((this.object(BODY_KEYS, OF_BODY) & BODY_REQUIRED) !== BODY_REQUIRED) throw DECLINE;
    this.ws();
    this.expect(RBRACK);
  }

  private bodyValue(k: number): void {
    if (k === B_DETAIL) this.eventValue(E_DETAIL);
    else if (k === B_CLIENT) {
      // the client less its verdict, which is the row's own member
      if ((this.object(CLIENT_KEYS, OF_ROW_CLIENT) & (1 << C_REASONS)) === 0) throw DECLINE;
    } else this.eventValue(E_OFFER);
  }

  private comma(): void {
    this.ws();
    this.expect(COMMA);
    this.ws();
  }

  private detailValue(k: number): void {
    if (k === D_LINK_INDEX) this.uint();
    else if (k === D_HONEYPOT) this.literal(this.at() === 0x74 ? TRUE : FALSE);
    else this.string();
  }

  private clientValue(k: number): void {
    if (k === C_VERDICT || k === C_CORRECTED) {
      const s = this.plainString();
      if (matchSpan(this.b, s, this.i - 1, VERDICT_BYTES) < 0) throw DECLINE;
    } else if (k === C_REASONS) this.array(ITEM_STRING);
    else this.string();
  }

  /**
   * an object whose keys are all in `keys`, each given once, its values read as `of` says
   * (one call site per kind of object, not a function passed in: the loop stays fast). Returns
   * the keys seen, bit k for keys[k].
   */
  private object(keys: readonly Uint8Array[], of: ObjectOf): number {
    this.expect(LBRACE);
    this.ws();
    if (this.at() === RBRACE) {
      this.i++;
      return 0;
    }
    let seen = 0;
    for (;;) {
      const ks = this.plainString();
      const k = matchSpan(this.b, ks, this.i - 1, keys);
      if (k < 0 || seen & (1 << k)) throw DECLINE;
      seen |= 1 << k;
      this.ws();
      this.expect(COLON);
      this.ws();
      if (of === OF_EVENT) this.eventValue(k);
      else if (of === OF_DETAIL) this.detailValue(k);
      else if (of === OF_CLIENT) this.clientValue(k);
      else if (of === OF_BODY) this.bodyValue(k);
      else if (k === C_VERDICT) throw DECLINE;
      else this.clientValue(k);
      this.ws();
      const c = this.at();
      this.i++;
      if (c === RBRACE) return seen;
      if (c !== COMMA) throw DECLINE;
      this.ws();
    }
  }

  /** an array of events, rows or strings; returns how many items */
  private array(item: ArrayOf): number {
    this.expect(LBRACK);
    this.ws();
    if (this.at() === RBRACK) {
      this.i++;
      return 0;
    }
    let count = 0;
    for (;;) {
      if (item === ITEM_EVENT) this.event();
      else if (item === ITEM_ROW) this.row();
      else this.string();
      count++;
      this.ws();
      const c = this.at();
      this.i++;
      if (c === RBRACK) return count;
      if (c !== COMMA) throw DECLINE;
      this.ws();
    }
  }

  /** a messageId without escapes, remembered once per run of equal ones */
  private messageId(): void {
    const s = this.plainString();
    const e = this.i - 1;
    const ls = this.lastMessageStart;
    if (ls >= 0 && e - s === this.lastMessageEnd - ls) {
      let same = true;
      for (let j = 0; j < e - s; j++)
        if (this.b[s + j] !== this.b[ls + j]) {
          same = false;
          break;
        }
      if (same) return;
    }
    this.lastMessageStart = s;
    this.lastMessageEnd = e;
    const id = this.buf.toString('utf8', s, e);
    if (!this.messageIdSet.has(id)) {
      this.messageIdSet.add(id);
      this.messageIds.push(id);
    }
  }

  /**
   * a string as JSON.parse takes it, or with `plain` one without escapes (keys, and the values
   * compared as bytes); returns where its content starts (this.i: after the closing quote)
   */
  private string(plain = false): number {
    this.expect(QUOTE);
    const s = this.i;
    const b = this.b;
    const n = this.n;
    let i = s;
    for (;;) {
      if (i >= n) throw DECLINE;
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c < 0x20) throw DECLINE;
      if (c === BACKSLASH) {
        if (plain) throw DECLINE;
        const x = b[i + 1];
        if (x === 0x75) {
          // \uXXXX
          for (let j = 2; j < 6; j++) if (!isHex(b[i + j])) throw DECLINE;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (
          x !== QUOTE &&
          x !== BACKSLASH &&
          x !== 0x2f &&
          x !== 0x62 &&
          x !== 0x66 &&
          x !== 0x6e &&
          x !== 0x72 &&
          x !== 0x74
        )
          throw DECLINE;
        i += 2;
        continue;
      }
      i++;
    }
    this.i = i + 1;
    return s;
  }

  private plainString(): number {
    return this.string(true);
  }

  /** plain digits, no leading zero, at most 15 of them (a safe integer); anything else declines */
  private uint(): number {
    const b = this.b;
    let i = this.i;
    let v = 0;
    const s = i;
    while (i < this.n) {
      const c = b[i]!;
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
      i++;
    }
    const len = i - s;
    if (len === 0 || len > 15 || (len > 1 && b[s] === ZERO)) throw DECLINE;
    const next = b[i];
    // a fraction or an exponent: JSON.parse may still make an integer of it, the full check decides
    if (next === 0x2e || next === 0x65 || next === 0x45) throw DECLINE;
    this.i = i;
    return v;
  }

  private literal(word: Uint8Array): void {
    for (let j = 0; j < word.length; j++) if (this.b[this.i + j] !== word[j]) throw DECLINE;
    this.i += word.length;
  }

  /**
   * past one JSON value of the envelope (JSON.parse checks its text afterwards): strings as
   * string() reads them, brackets counted outside strings
   */
  private skipValue(): void {
    let depth = 0;
    for (;;) {
      if (this.i >= this.n) throw DECLINE;
      const c = this.b[this.i]!;
      if (c === QUOTE) this.string();
      else if (c === LBRACE || c === LBRACK) {
        depth++;
        this.i++;
      } else if (c === RBRACE || c === RBRACK) {
        if (depth === 0) return;
        depth--;
        this.i++;
      } else if (c === COMMA && depth === 0) return;
      else this.i++;
      if (depth === 0 && (c === QUOTE || c === RBRACE || c === RBRACK)) return;
    }
  }

  private ws(): void {
    const b = this.b;
    let i = this.i;
    while (i < this.n) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  private at(): number {
    return this.i < this.n ? this.b[this.i]! : -1;
  }

  private expect(c: number): void {
    if (this.b[this.i] !== c) throw DECLINE;
    this.i++;
  }
}

const NULL = new Uint8Array(Buffer.from('null'));
const TRUE = new Uint8Array(Buffer.from('true'));
const FALSE = new Uint8Array(Buffer.from('false'));

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

/** the index in `list` of the bytes b[s, e), or -1 */
function matchSpan(b: Uint8Array, s: number, e: number, list: readonly Uint8Array[]): number {
  const len = e - s;
  for (let k = 0; k < list.length; k++) {
    const w = list[k]!;
    if (w.length !== len) continue;
    let j = 0;
    while (j < len && b[s + j] === w[j]) j++;
    if (j === len) return k;
  }
  return -1;
}
