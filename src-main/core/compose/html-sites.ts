import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import { isAbsoluteHttpUrl, mentionsUnsubscribe } from './skip-rules';

/**
 * One href attribute of an <a>/<area> in the agent's HTML, located in the source. Elements the
 * parser clones (the adoption agency re-opens an <a> after a misnested block) share one source
 * location, so sites are keyed by that location and each exists once.
 */
export interface HrefSite {
  /** the value as a browser sees it: entities decoded, ASCII whitespace trimmed */
  url: string;
  /** source range of the value without its quotes */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'" | null;
  trackable: boolean;
}

export interface HtmlAnalysis {
  sites: HrefSite[];
  /** where the pixel goes: before </body>, else before </html>, else at the end */
  pixelOffset: number;
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const ASCII_WS = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
const PHRASE_LIMIT = 200;
const INLINE_WRAPPERS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'span',
  'font',
  'small',
  'big',
  'sup',
  'sub',
]);
const PHRASE_BOUNDARIES = new Set([
  'a',
  'br',
  'p',
  'div',
  'table',
  'tbody',
  'tr',
  'td',
  'th',
  'li',
  'ul',
  'ol',
  'hr',
  'blockquote',
  'center',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'img',
  'area',
]);
const MARKER_ATTRS = new Set(['id', 'class', 'title', 'name']);

let cache: { html: string; analysis: HtmlAnalysis } | null = null;

/**
 * Parses once per distinct HTML: the core calls extract, then inject once per recipient with the
 * same body, and parsing dominates the cost.
 */
export function analyseHtml(html: string): HtmlAnalysis {
  if (cache && cache.html === html) return cache.analysis;
  const analysis = analyse(html);
  cache = { html, analysis };
  return analysis;
}

function analyse(html: string): HtmlAnalysis {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const byOffset = new Map<number, HrefSite>();
  let bodyEnd: number | undefined;
  let htmlEnd: number | undefined;
  let lastLocated: T.Node | null = null;
  let maxEnd = 0;
  let maxContentStart = 0;
  const hrefOffsets = new Set<number>();

  // Iterative walk: broken mail HTML can nest thousands of unclosed elements.
  const stack: T.Node[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const loc = locationOf(node);
    if (loc && loc.startOffset >= (lastLocated ? locationOf(lastLocated)!.startOffset : -1))
      lastLocated = node;
    if (loc) {
      maxEnd = Math.max(maxEnd, loc.endOffset);
      if (isContent(node)) maxContentStart = Math.max(maxContentStart, loc.startOffset);
    }
    if (isElement(node)) {
      const loc = node.sourceCodeLocation;
      if (node.tagName === 'body' && loc?.endTag) bodyEnd ??= loc.endTag.startOffset;
      if (node.tagName === 'html' && loc?.endTag) htmlEnd ??= loc.endTag.startOffset;
      if ((node.tagName === 'a' || node.tagName === 'area') && node.namespaceURI === HTML_NS) {
        const hrefLoc = loc?.attrs?.['href'];
        if (hrefLoc) hrefOffsets.add(hrefLoc.startOffset);
        const site = locateHref(html, node);
        if (site) {
          const previous = byOffset.get(site.valueStart);
          // A clone can sit in a different context; skipping wins so a skipped link stays untouched.
          const trackable = site.trackable && judge(node, site.url);
          if (previous) previous.trackable &&= trackable;
          else byOffset.set(site.valueStart, { ...site, trackable });
        }
      }
    }
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  const sites = [...byOffset.values()].sort((a, b) => a.valueStart - b.valueStart);
  // The common case needs no proof: a closing tag after all content. A stray early </html>
  // (pasted fragments) or content behind </body> falls through to the probed candidates.
  for (const end of [bodyEnd, htmlEnd]) {
    if (end !== undefined && end >= maxContentStart) return { sites, pixelOffset: end };
  }
  const candidates = [bodyEnd, htmlEnd].filter((x): x is number => x !== undefined);
  return { sites, pixelOffset: appendOffset(html, candidates, hrefOffsets.size, maxEnd, lastLocated) };
}

/** a node whose source lies inside the body's content, not a wrapper, whitespace or comment */
function isContent(n: T.Node): boolean {
  if (n.nodeName === '#text') return (n as T.TextNode).value.trim() !== '';
  return isElement(n) && n.tagName !== 'html' && n.tagName !== 'head' && n.tagName !== 'body';
}

const PROBE = '<img data-blitz-probe="">';

/**
 * Without a usable </body> or </html> the pixel goes at the end, unless the mail ends inside something that
 * would swallow it (an unterminated tag or attribute, comment, <style>, <textarea>): then it goes
 * after the last complete node, or before the last node, or before its enclosing elements. Each
 * candidate is proven by parsing the mail with a probe element spliced in — it must become a
 * rendered <img> and leave the mail's links as they were (a probe inside <svg> would pull the
 * markup after it out of foreign content). Only mails without closing tags pay for this.
 */
function appendOffset(
  html: string,
  closingTags: number[],
  hrefCount: number,
  maxEnd: number,
  lastLocated: T.Node | null,
): number {
  const candidates = [...closingTags, html.length];
  if (maxEnd < html.length) candidates.push(maxEnd);
  for (let n: T.Node | null = lastLocated; n && candidates.length < 6; n = parentOf(n)) {
    const start = locationOf(n)?.startOffset;
    if (start !== undefined) candidates.push(start);
  }
  for (const at of candidates) if (probeLands(html, at, hrefCount)) return at;
  return 0;
}

function probeLands(html: string, at: number, hrefCount: number): boolean {
  const doc = parse(html.slice(0, at) + PROBE + html.slice(at), { sourceCodeLocationInfo: true });
  let rendered = false;
  const hrefs = new Set<number>();
  const stack: T.Node[] = [doc];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isElement(n)) {
      if (n.tagName === 'img' && hasAttr(n, 'data-blitz-probe') && !insideTemplate(n)) {
        rendered ||= n.sourceCodeLocation?.startOffset === at;
      }
      const href = n.sourceCodeLocation?.attrs?.['href'];
      if ((n.tagName === 'a' || n.tagName === 'area') && n.namespaceURI === HTML_NS && href)
        hrefs.add(href.startOffset);
    }
    stack.push(...childrenOf(n));
  }
  return rendered && hrefs.size === hrefCount;
}

function insideTemplate(n: T.Node): boolean {
  for (let p = parentOf(n); p; p = parentOf(p)) if (p.nodeName === '#document-fragment') return true;
  return false;
}

function locationOf(n: T.Node): { startOffset: number; endOffset: number } | null | undefined {
  return 'sourceCodeLocation' in n ? n.sourceCodeLocation : undefined;
}

function parentOf(n: T.Node): T.Node | null {
  return 'parentNode' in n ? n.parentNode : null;
}

function locateHref(html: string, el: T.Element): HrefSite | null {
  const attr = el.attrs.find((a) => a.name === 'href' && !a.namespace);
  const loc = el.sourceCodeLocation?.attrs?.['href'];
  if (!attr || !loc) return null;
  const raw = html.slice(loc.startOffset, loc.endOffset);
  if (raw.slice(0, 4).toLowerCase() !== 'href') return null;
  let i = 4;
  while (i < raw.length && isWs(raw[i]!)) i++;
  if (raw[i] !== '=') return null; // bare `href`: empty value, nothing to track
  i++;
  while (i < raw.length && isWs(raw[i]!)) i++;
  const url = attr.value.replace(ASCII_WS, '');
  const q = raw[i];
  if (q === '"' || q === "'") {
    if (raw.length - 1 <= i || raw[raw.length - 1] !== q) return null;
    return {
      url,
      valueStart: loc.startOffset + i + 1,
      valueEnd: loc.endOffset - 1,
      quote: q,
      trackable: isAbsoluteHttpUrl(url),
    };
  }
  return {
    url,
    valueStart: loc.startOffset + i,
    valueEnd: loc.endOffset,
    quote: null,
    trackable: isAbsoluteHttpUrl(url),
  };
}

function judge(el: T.Element, url: string): boolean {
  if (hasAttr(el, 'data-blitz-skip')) return false;
  if (mentionsUnsubscribe(url) || mentionsUnsubscribe(ownText(el))) return false;
  for (let a = el.parentNode; a && isElement(a); a = a.parentNode) {
    if (hasAttr(a, 'data-blitz-skip')) return false;
    for (const attr of a.attrs) {
      if ((MARKER_ATTRS.has(attr.name) || attr.name.startsWith('data-')) && mentionsUnsubscribe(attr.value)) {
        return false;
      }
    }
  }
  return !mentionsUnsubscribe(surroundingText(el));
}

/**
 * The phrase around a link ("… können Sie sich <a>hier</a> austragen."): sibling text up to the
 * neighbouring link, line break or block, so "Impressum | Datenschutz | Abmelden" in one footer
 * cell keeps the first two tracked.
 */
function surroundingText(el: T.Element): string {
  let node: T.ChildNode = el;
  let parent = el.parentNode;
  while (
    parent &&
    isElement(parent) &&
    INLINE_WRAPPERS.has(parent.tagName) &&
    parent.childNodes.every(
      (c) => c === node || (c.nodeName === '#text' && (c as T.TextNode).value.trim() === ''),
    )
  ) {
    node = parent;
    parent = parent.parentNode;
  }
  if (!parent) return '';
  const siblings = parent.childNodes;
  const at = siblings.indexOf(node);
  let before = '';
  for (let i = at - 1; i >= 0 && before.length < PHRASE_LIMIT; i--) {
    const c = siblings[i]!;
    if (isElement(c) && PHRASE_BOUNDARIES.has(c.tagName)) break;
    before = boundedText(c, PHRASE_LIMIT) + before;
  }
  let after = '';
  for (let i = at + 1; i < siblings.length && after.length < PHRASE_LIMIT; i++) {
    const c = siblings[i]!;
    if (isElement(c) && PHRASE_BOUNDARIES.has(c.tagName)) break;
    after += boundedText(c, PHRASE_LIMIT);
  }
  return `${before.slice(-PHRASE_LIMIT)} ${after.slice(0, PHRASE_LIMIT)}`;
}

/** The link's visible and accessible text: content, title, aria-label, alt of images inside. */
function ownText(el: T.Element): string {
  const parts = [boundedText(el, 2000)];
  for (const name of ['title', 'aria-label', 'alt']) {
    const v = el.attrs.find((a) => a.name === name)?.value;
    if (v) parts.push(v);
  }
  const stack = [...childrenOf(el)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isElement(n)) {
      if (n.tagName === 'img') parts.push(n.attrs.find((a) => a.name === 'alt')?.value ?? '');
      stack.push(...childrenOf(n));
    }
  }
  return parts.join(' ');
}

/** textContent, but stops once `limit` characters are collected (a table cell may hold the whole mail). */
function boundedText(root: T.Node, limit: number): string {
  let out = '';
  const stack: T.Node[] = [root];
  while (stack.length > 0 && out.length < limit) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') out += (n as T.TextNode).value;
    else {
      const children = childrenOf(n);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return out;
}

function childrenOf(n: T.Node): T.ChildNode[] {
  // only an HTML <template> has content; <svg><template> is an ordinary foreign element
  if ('content' in n && n.content) return (n as T.Template).content.childNodes;
  return 'childNodes' in n ? n.childNodes : [];
}

function isElement(n: T.Node): n is T.Element {
  return 'tagName' in n;
}

function hasAttr(el: T.Element, name: string): boolean {
  return el.attrs.some((a) => a.name === name);
}

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}
