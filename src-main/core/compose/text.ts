import type { TrackedLink } from './inject';
import { isAbsoluteHttpUrl, mentionsUnsubscribe } from './skip-rules';

export interface TextUrl {
  url: string;
  start: number;
  end: number;
  trackable: boolean;
}

const TRAILING_PUNCTUATION = new Set([...'.,;:!?\'"»«“”„‘’‚…*_']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Absolute http(s) URLs in a plain-text part. A URL runs to the next whitespace, `<`, `>`, `"` or
 * control character; sentence punctuation and unbalanced closing brackets at its end belong to the
 * prose ("siehe https://x.de/a.", "(https://x.de/b)"). An unsubscribe URL is one whose URL, the text before it on
 * its line, or — when it starts its line — the previous non-empty line mentions unsubscribing.
 */
export function findTextUrls(text: string): TextUrl[] {
  const out: TextUrl[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (;;) {
    const start = lower.indexOf('http', from);
    if (start < 0) break;
    from = start + 4;
    if (!lower.startsWith('http://', start) && !lower.startsWith('https://', start)) continue;
    if (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1]!)) continue;
    let end = start;
    while (end < text.length && !isTerminator(text.charCodeAt(end))) end++;
    end = trimTrailing(text, start, end);
    from = Math.max(from, end);
    const url = text.slice(start, end);
    if (!isAbsoluteHttpUrl(url)) continue;
    out.push({ url, start, end, trackable: !mentionsUnsubscribe(url) && !unsubscribeContext(text, start) });
  }
  return out;
}

/**
 * Replaces the trackable absolute http(s) URLs of a text part with their tracked URLs. With
 * `showTarget` each tracked URL is followed by its real target in brackets („(→ example.org/…)“),
 * so a reader of a text-only mail sees where a link leads before following it.
 */
export function rewriteText(
  text: string,
  links: readonly TrackedLink[],
  opts: { showTarget?: boolean } = {},
): string {
  const tracked = new Map<string, string>();
  for (const l of links) if (!tracked.has(l.url)) tracked.set(l.url, l.trackedUrl);
  const parts: string[] = [];
  let pos = 0;
  for (const u of findTextUrls(text)) {
    const target = u.trackable ? tracked.get(u.url) : undefined;
    if (target === undefined) continue;
    parts.push(text.slice(pos, u.start), opts.showTarget ? `${target} (→ ${targetLabel(u.url)})` : target);
    pos = u.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/** the target without its scheme: readable, and not a second link a client would make clickable */
function targetLabel(url: string): string {
  return url.replace(/^https?:\/\//i, '');
}

function isTerminator(c: number): boolean {
  // whitespace (incl. NBSP and Unicode spaces), controls, and the delimiters text mail uses around URLs
  return (
    c <= 0x20 ||
    c === 0x7f ||
    c === 0x3c /* < */ ||
    c === 0x3e /* > */ ||
    c === 0x22 /* " */ ||
    c === 0xa0 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x3000
  );
}

function trimTrailing(text: string, start: number, end: number): number {
  while (end > start) {
    const ch = text[end - 1]!;
    if (TRAILING_PUNCTUATION.has(ch)) {
      end--;
      continue;
    }
    const opener = CLOSERS[ch];
    if (opener !== undefined) {
      const body = text.slice(start, end);
      if (count(body, ch) > count(body, opener)) {
        end--;
        continue;
      }
    }
    break;
  }
  return end;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function unsubscribeContext(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  if (mentionsUnsubscribe(before)) return true;
  if (before.trim() !== '') return false;
  // "Newsletter abbestellen:\nhttps://…"
  let prevEnd = lineStart - 1;
  while (prevEnd > 0) {
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const line = text.slice(prevStart, prevEnd);
    if (line.trim() !== '') return mentionsUnsubscribe(line);
    prevEnd = prevStart - 1;
  }
  return false;
}
