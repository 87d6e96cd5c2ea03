import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import type { Splice, TrackedLink } from '../../../src-main/core/compose/inject';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/html');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Tracked URLs with characters that must be escaped in an attribute. */
export function trackerFor(links: string[], token = 'TOKEN0123456789abcdefgh') {
  const tracked: TrackedLink[] = links.map((url, i) => ({
    url,
    trackedUrl: `https://c.test/c/${token}/${i}?x=1&y=${i}`,
  }));
  return { pixelUrl: `https://c.test/o/${token}.gif?a=1&b=2`, links: tracked };
}

/**
 * Undoes the splices on the output, taking from the output everything outside them: equal to the
 * input only if the output differs from the input in the spliced places and nowhere else.
 */
export function revertSplices(input: string, output: string, splices: readonly Splice[]): string {
  let reverted = '';
  let outPos = 0;
  let inPos = 0;
  for (const s of splices) {
    const unchanged = s.start - inPos;
    reverted += output.slice(outPos, outPos + unchanged);
    outPos += unchanged;
    if (output.slice(outPos, outPos + s.text.length) !== s.text)
      throw new Error(`splice text not at ${outPos}`);
    outPos += s.text.length;
    reverted += input.slice(s.start, s.end);
    inPos = s.end;
  }
  return reverted + output.slice(outPos);
}

export interface ParsedLink {
  tag: string;
  href: string;
  start: number;
  end: number;
}

/** The hrefs of HTML <a>/<area> as a browser sees them, one per source location. */
export function parsedLinks(html: string): ParsedLink[] {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const out = new Map<number, ParsedLink>();
  const stack: T.Node[] = [doc];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('tagName' in n) {
      const loc = n.sourceCodeLocation?.attrs?.['href'];
      const href = n.attrs.find((a) => a.name === 'href')?.value;
      if (
        (n.tagName === 'a' || n.tagName === 'area') &&
        n.namespaceURI.endsWith('xhtml') &&
        loc &&
        href !== undefined
      ) {
        out.set(loc.startOffset, { tag: n.tagName, href, start: loc.startOffset, end: loc.endOffset });
      }
    }
    if ('content' in n && n.content) stack.push((n as T.Template).content);
    if ('childNodes' in n) stack.push(...n.childNodes);
  }
  return [...out.values()].sort((a, b) => a.start - b.start);
}

/** img elements with this src that a browser would render. */
export function imagesWithSrc(html: string, src: string): number {
  const doc = parse(html);
  let count = 0;
  const stack: T.Node[] = [doc];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('tagName' in n && n.tagName === 'img' && n.attrs.some((a) => a.name === 'src' && a.value === src))
      count++;
    if ('childNodes' in n) stack.push(...n.childNodes);
  }
  return count;
}
