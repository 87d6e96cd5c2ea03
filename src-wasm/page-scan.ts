// AssemblyScript, compiled to WebAssembly by `npm run build:wasm` (scripts/build-wasm.ts) into
// src-main/core/sync/page-scan-wasm.ts; the JavaScript side is src-main/core/sync/page-scan.ts.
//
// A first sync's page checked straight from its UTF-8 bytes, as page-scan.ts describes: the events
// as isStrictEvent (page-check.ts) checks parsed ones, in either shape. The same reader as the
// TypeScript one it replaced, read for read; in WebAssembly it takes ~0.4 of its time per page
// (1.3 against 3.5 ms for 5,000 events), most of the difference in the per-token overhead, the rest
// in strings read 16 bytes at a time. Declining traps (`unreachable`): the caller takes a trap for
// "no", and any fault of this module, an access past memory included, declines the page too.
//
// The page lies at [base, end), followed by PAD zero bytes: a zero is no token and ends no string,
// so no reader runs past the page, and a string's 16-byte reads stay inside the padding.

const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const COMMA: u32 = 0x2c;
const COLON: u32 = 0x3a;
const LBRACE: u32 = 0x7b;
const RBRACE: u32 = 0x7d;
const LBRACK: u32 = 0x5b;
const RBRACK: u32 = 0x5d;

// indices into the word lists page-scan.ts writes (WORD_LISTS there, in this order)
const E_ID = 0;
const E_SEQ = 1;
const E_TYPE = 2;
const E_MESSAGE = 3;
const E_RECIPIENT = 4;
const E_OCCURRED = 5;
const E_DETAIL = 6;
const E_CLIENT = 7;
const E_OFFER = 8;
/** the eight keys an event must have (all but offerId) */
const EVENT_REQUIRED: u32 = 0xff;
const D_LINK_INDEX = 9;
const D_HONEYPOT = 10;
const C_VERDICT = 0;
const C_REASONS = 1;
const C_CORRECTED = 2;
const B_DETAIL = 0;
const B_CLIENT = 1;
const BODY_REQUIRED: u32 = (1 << B_DETAIL) | (1 << B_CLIENT);

const OF_EVENT = 0;
const OF_DETAIL = 1;
const OF_CLIENT = 2;
const OF_BODY = 3;
const OF_ROW_CLIENT = 4;
const ITEM_EVENT = 0;
const ITEM_STRING = 1;
const ITEM_ROW = 2;

const PAD: usize = 64;
/**
 * the envelope's members kept at most, each as key start, key end, value start, value end
 * (offsets into the page); a page with more declines (the check allows three)
 */
const ENVELOPE_MAX = 8;

/** where page-scan.ts writes the word lists: per list its count, then each word's length and bytes */
const WORDS: usize = memory.data(2048);
let eventKeys: usize = 0;
let detailKeys: usize = 0;
let clientKeys: usize = 0;
let bodyKeys: usize = 0;
let types: usize = 0;
let verdicts: usize = 0;
let arrayKeys: usize = 0;

let base: usize = 0;
let end: usize = 0;
/** the page's distinct messageIds: (start, end) of each, in order of first appearance */
let spans: usize = 0;
let spanCount: i32 = 0;
/** open addressing over the spans: entry k + 1 for span k, 0 for none */
let table: usize = 0;
let tableMask: u32 = 0;
let envelope: usize = 0;
let envelopeCount: i32 = 0;
let prevSeq: u64 = 0;
let lastMessage: usize = 0;
let lastMessageLength: usize = 0;
let rows: i32 = 0;
/** what the last object() saw (bit k for key k), array() counted, uint() read */
let seenKeys: u32 = 0;
let itemCount: i32 = 0;
let uintValue: u64 = 0;

export function words(): usize {
  return WORDS;
}

/** reads the word lists page-scan.ts wrote at words() */
export function init(): void {
  eventKeys = WORDS;
  detailKeys = afterList(eventKeys);
  clientKeys = afterList(detailKeys);
  bodyKeys = afterList(clientKeys);
  types = afterList(bodyKeys);
  verdicts = afterList(types);
  arrayKeys = afterList(verdicts);
}

function afterList(list: usize): usize {
  const n = <i32>load<u8>(list);
  let p = list + 1;
  for (let k = 0; k < n; k++) p += 1 + <usize>load<u8>(p);
  return p;
}

/** the longest page taken (a first sync's are ~1.4 MB): 4 × this still fits 32-bit addresses */
const LENGTH_MAX: usize = 1 << 28;

/**
 * Where a page of `length` bytes goes, with room after it for the padding and what scan() finds;
 * 0 for a page longer than LENGTH_MAX or when memory cannot grow that far.
 */
export function reserve(length: usize): usize {
  if (length > LENGTH_MAX) return 0;
  const start = (__heap_base + 15) & ~15;
  // the page, its padding, the spans, the envelope and the table (scan() lays them out)
  const need = start + length + PAD + length + 2 * length + 8192;
  const have = (<usize>memory.size()) << 16;
  if (need > have && memory.grow(<i32>((need - have + 0xffff) >> 16)) < 0) return 0;
  base = start;
  return start;
}

function decline(): void {
  unreachable();
}

// @ts-ignore: decorator
@inline function at(i: usize): u32 {
  return load<u8>(i);
}

// @ts-ignore: decorator
@inline function ws(i: usize): usize {
  while (true) {
    const c = at(i);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) i++;
    else return i;
  }
}

// @ts-ignore: decorator
@inline function expect(i: usize, c: u32): usize {
  if (at(i) != c) decline();
  return i + 1;
}

// @ts-ignore: decorator
@inline function comma(i: usize): usize {
  return ws(expect(ws(i), COMMA));
}

function isHex(c: u32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * a string as JSON.parse takes it, from its opening quote, or with `plain` one without escapes
 * (keys, and the values compared as bytes); returns the position after its closing quote
 */
function str(i: usize, plain: bool): usize {
  if (at(i) != QUOTE) decline();
  i++;
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const control = i8x16.splat(0x20);
  while (true) {
    const v = v128.load(i);
    const special = i8x16.bitmask(
      v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, control)),
    );
    if (special == 0) {
      i += 16;
      continue;
    }
    i += <usize>ctz(special);
    const c = at(i);
    if (c == QUOTE) return i + 1;
    if (c < 0x20 || plain) decline();
    const x = at(i + 1);
    if (x == 0x75) {
      // \uXXXX
      for (let j: usize = 2; j < 6; j++) if (!isHex(at(i + j))) decline();
      i += 6;
      continue;
    }
    // " \ / b f n r t
    if (
      x != QUOTE &&
      x != BACKSLASH &&
      x != 0x2f &&
      x != 0x62 &&
      x != 0x66 &&
      x != 0x6e &&
      x != 0x72 &&
      x != 0x74
    )
      decline();
    i += 2;
  }
  return 0;
}

/** the index in the word list at `list` of the bytes [s, e), or -1 */
function match(s: usize, e: usize, list: usize): i32 {
  const length = e - s;
  const n = <i32>load<u8>(list);
  let p = list + 1;
  for (let k = 0; k < n; k++) {
    const w = <usize>load<u8>(p);
    if (w == length && memory.compare(s, p + 1, length) == 0) return k;
    p += 1 + w;
  }
  return -1;
}

/** plain digits, no leading zero, at most 15 of them (a safe integer); anything else declines */
function uint(i: usize): usize {
  const s = i;
  let v: u64 = 0;
  while (true) {
    const c = at(i);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + <u64>(c - 0x30);
    i++;
  }
  const length = i - s;
  if (length == 0 || length > 15 || (length > 1 && at(s) == 0x30)) decline();
  const next = at(i);
  // a fraction or an exponent: JSON.parse may still make an integer of it, the full check decides
  if (next == 0x2e || next == 0x65 || next == 0x45) decline();
  uintValue = v;
  return i;
}

function literalNull(i: usize): usize {
  if (at(i) != 0x6e || at(i + 1) != 0x75 || at(i + 2) != 0x6c || at(i + 3) != 0x6c) decline();
  return i + 4;
}

function literalBoolean(i: usize): usize {
  if (at(i) == 0x74) {
    if (at(i + 1) != 0x72 || at(i + 2) != 0x75 || at(i + 3) != 0x65) decline();
    return i + 4;
  }
  if (at(i) != 0x66 || at(i + 1) != 0x61 || at(i + 2) != 0x6c || at(i + 3) != 0x73 || at(i + 4) != 0x65)
    decline();
  return i + 5;
}

/**
 * A messageId without escapes; its span is kept the first time it appears. A page's events come
 * in runs of one message, or interleaved from many: the one before is compared first, then the
 * page's distinct ones in a hash table (the caller decodes each distinct one once).
 */
function messageId(i: usize): usize {
  const e = str(i, true);
  const s = i + 1;
  const length = e - 1 - s;
  if (lastMessage != 0 && lastMessageLength == length && memory.compare(s, lastMessage, length) == 0) return e;
  lastMessage = s;
  lastMessageLength = length;
  // FNV-1a over the bytes
  let h: u32 = 0x811c9dc5;
  for (let j: usize = 0; j < length; j++) h = (h ^ at(s + j)) * 0x01000193;
  let slot = h & tableMask;
  while (true) {
    const taken = load<u32>(table + ((<usize>slot) << 2));
    if (taken == 0) break;
    const p = spans + ((<usize>(taken - 1)) << 3);
    const ks = base + <usize>load<u32>(p);
    const ke = base + <usize>load<u32>(p, 4);
    if (ke - ks == length && memory.compare(s, ks, length) == 0) return e;
    slot = (slot + 1) & tableMask;
  }
  // never full, so a probe always ends (scan() sizes it; this holds for any page)
  if (<u32>spanCount >= tableMask >> 1) decline();
  const p = spans + ((<usize>spanCount) << 3);
  store<u32>(p, <u32>(s - base));
  store<u32>(p, <u32>(e - 1 - base), 4);
  spanCount++;
  store<u32>(table + ((<usize>slot) << 2), <u32>spanCount);
  return e;
}

function eventValue(i: usize, k: i32): usize {
  switch (k) {
    case E_ID:
    case E_OCCURRED:
      return str(i, false);
    case E_SEQ: {
      const e = uint(i);
      if (uintValue < 1 || uintValue < prevSeq) decline();
      prevSeq = uintValue;
      return e;
    }
    case E_TYPE: {
      const e = str(i, true);
      if (match(i + 1, e - 1, types) < 0) decline();
      return e;
    }
    case E_MESSAGE:
      return messageId(i);
    case E_RECIPIENT:
    case E_OFFER:
      return at(i) == QUOTE ? str(i, false) : literalNull(i);
    case E_DETAIL:
      return object(i, detailKeys, OF_DETAIL);
    case E_CLIENT: {
      const e = object(i, clientKeys, OF_CLIENT);
      const required: u32 = (1 << C_VERDICT) | (1 << C_REASONS);
      if ((seenKeys & required) != required) decline();
      return e;
    }
  }
  decline();
  return 0;
}

function detailValue(i: usize, k: i32): usize {
  if (k == D_LINK_INDEX) return uint(i);
  if (k == D_HONEYPOT) return literalBoolean(i);
  return str(i, false);
}

function clientValue(i: usize, k: i32): usize {
  if (k == C_VERDICT || k == C_CORRECTED) {
    const e = str(i, true);
    if (match(i + 1, e - 1, verdicts) < 0) decline();
    return e;
  }
  if (k == C_REASONS) return array(i, ITEM_STRING);
  return str(i, false);
}

function bodyValue(i: usize, k: i32): usize {
  if (k == B_DETAIL) return eventValue(i, E_DETAIL);
  if (k == B_CLIENT) {
    // the client less its verdict, which is the row's own member
    const e = object(i, clientKeys, OF_ROW_CLIENT);
    if ((seenKeys & (1 << C_REASONS)) == 0) decline();
    return e;
  }
  return eventValue(i, E_OFFER);
}

/**
 * an object whose keys are all in the list at `keys`, each given once, its values read as `kind`
 * says; leaves the keys seen in seenKeys
 */
/** whether the last closeOrComma() met the closing bracket */
let closed = false;

/**
 * after a member or an item: past the closing bracket (`closed`), or past the comma and the
 * whitespace before the next one; anything else declines the page
 */
@inline function closeOrComma(i: usize, close: u32): usize {
  i = ws(i);
  const c = at(i);
  closed = c == close;
  if (closed) return i + 1;
  if (c != COMMA) decline();
  return ws(i + 1);
}

function object(i: usize, keys: usize, kind: i32): usize {
  i = ws(expect(i, LBRACE));
  if (at(i) == RBRACE) {
    seenKeys = 0;
    return i + 1;
  }
  let seen: u32 = 0;
  while (true) {
    const s = i + 1;
    i = str(i, true);
    const k = match(s, i - 1, keys);
    if (k < 0 || (seen & (1 << k)) != 0) decline();
    seen |= 1 << k;
    i = ws(expect(ws(i), COLON));
    if (kind == OF_EVENT) i = eventValue(i, k);
    else if (kind == OF_DETAIL) i = detailValue(i, k);
    else if (kind == OF_CLIENT) i = clientValue(i, k);
    else if (kind == OF_BODY) i = bodyValue(i, k);
    else if (k == C_VERDICT) decline();
    else i = clientValue(i, k);
    i = closeOrComma(i, RBRACE);
    if (closed) {
      seenKeys = seen;
      return i;
    }
  }
  return 0;
}

/**
 * [id, seq, messageId, type, recipientEmail, occurredAt, verdict, body]: each member as
 * eventValue reads the event's member of that name, the verdict as clientValue reads it
 */
function row(i: usize): usize {
  i = ws(expect(i, LBRACK));
  i = comma(eventValue(i, E_ID));
  i = comma(eventValue(i, E_SEQ));
  i = comma(eventValue(i, E_MESSAGE));
  i = comma(eventValue(i, E_TYPE));
  i = comma(eventValue(i, E_RECIPIENT));
  i = comma(eventValue(i, E_OCCURRED));
  i = comma(clientValue(i, C_VERDICT));
  i = object(i, bodyKeys, OF_BODY);
  if ((seenKeys & BODY_REQUIRED) != BODY_REQUIRED) decline();
  return expect(ws(i), RBRACK);
}

/** an array of events, rows or strings; leaves how many items in itemCount */
function array(i: usize, item: i32): usize {
  i = ws(expect(i, LBRACK));
  if (at(i) == RBRACK) {
    itemCount = 0;
    return i + 1;
  }
  let n = 0;
  while (true) {
    if (item == ITEM_EVENT) {
      i = object(i, eventKeys, OF_EVENT);
      if ((seenKeys & EVENT_REQUIRED) != EVENT_REQUIRED) decline();
    } else if (item == ITEM_ROW) i = row(i);
    else i = str(i, false);
    n++;
    i = closeOrComma(i, RBRACK);
    if (closed) {
      itemCount = n;
      return i;
    }
  }
  return 0;
}

/**
 * past one JSON value of the envelope (JSON.parse checks its text afterwards): strings as str()
 * reads them, brackets counted outside strings
 */
function skipValue(i: usize): usize {
  let depth = 0;
  while (true) {
    if (i >= end) decline();
    const c = at(i);
    if (c == QUOTE) i = str(i, false);
    else if (c == LBRACE || c == LBRACK) {
      depth++;
      i++;
    } else if (c == RBRACE || c == RBRACK) {
      if (depth == 0) return i;
      depth--;
      i++;
    } else if (c == COMMA && depth == 0) return i;
    else i++;
    if (depth == 0 && (c == QUOTE || c == RBRACE || c == RBRACK)) return i;
  }
  return 0;
}

/**
 * Scans the page of `length` bytes written at reserve()'s place: returns its events; declines by
 * trapping. The envelope's other members are left to the caller (envelopeSpans).
 */
export function scan(length: usize): i32 {
  end = base + length;
  memory.fill(end, 0, PAD);
  spans = (end + PAD + 7) & ~7;
  // a messageId span per event at most, 8 bytes each, and an event takes more than 8 bytes
  envelope = (spans + length + 7) & ~7;
  // an event takes more than 32 bytes: at most length / 32 distinct ids, the table twice that
  let capacity: usize = 16;
  while (capacity < length >> 4) capacity <<= 1;
  tableMask = <u32>(capacity - 1);
  table = envelope + ENVELOPE_MAX * 16;
  memory.fill(table, 0, capacity << 2);
  spanCount = 0;
  envelopeCount = 0;
  prevSeq = 0;
  lastMessage = 0;
  lastMessageLength = 0;
  rows = 0;
  let events = -1;
  let i = ws(expect(ws(base), LBRACE));
  while (true) {
    const s = i + 1;
    i = str(i, true);
    const e = i - 1;
    i = ws(expect(ws(i), COLON));
    const k = match(s, e, arrayKeys);
    if (k >= 0) {
      // one array of events, in either shape
      if (events >= 0) decline();
      rows = k;
      i = array(i, k == 0 ? ITEM_EVENT : ITEM_ROW);
      events = itemCount;
    } else {
      if (envelopeCount >= ENVELOPE_MAX) decline();
      const v = i;
      i = skipValue(i);
      const p = envelope + ((<usize>envelopeCount) << 4);
      store<u32>(p, <u32>(s - base));
      store<u32>(p, <u32>(e - base), 4);
      store<u32>(p, <u32>(v - base), 8);
      store<u32>(p, <u32>(i - base), 12);
      envelopeCount++;
    }
    i = ws(i);
    if (at(i) == COMMA) {
      i = ws(i + 1);
      continue;
    }
    i = expect(i, RBRACE);
    break;
  }
  if (ws(i) != end || events < 0) decline();
  return events;
}

/** 1 when the last page scanned held rows, 0 for events */
export function scannedRows(): i32 {
  return rows;
}
export function messageSpans(): usize {
  return spans;
}
export function messageSpanCount(): i32 {
  return spanCount;
}
export function envelopeSpans(): usize {
  return envelope;
}
export function envelopeSpanCount(): i32 {
  return envelopeCount;
}
