import { describe, expect, it } from 'vitest';
import { extractTrackableLinks, injectTracking, rewriteText } from '../../../src-main/core/compose';
import { planTracking } from '../../../src-main/core/compose/inject';
import { imagesWithSrc, parsedLinks, revertSplices, trackerFor } from './helpers';
import { seededRandom as rng } from '../../../src-shared/seeded-random';

const URLS = [
  'https://x.test/a',
  'https://x.test/a?b=1&amp;c=2',
  'HTTPS://X.TEST/B',
  'http://x.test/ä?ö=ü',
  'https://x.test/unsubscribe',
  '  https://x.test/space  ',
  '#top',
  '/relative',
  'mailto:a@x.test',
  'https://x.test/&quot;q',
  'https://x.test/a',
  'https://x.test/c"d',
  "https://x.test/e'f",
];
const TEXTS = [
  'Hallo',
  ' Grüße ',
  'ä&auml;ß&szlig;',
  '&nbsp;',
  '😀',
  '<',
  '>',
  ' & ',
  '\r\n',
  '\n',
  '\t',
  'a<b',
  '3 < 4',
  'abmelden',
  '\u00a0',
  '&#x2716;',
  '&amp',
];
const TAGS = [
  'a',
  'A',
  'area',
  'p',
  'div',
  'table',
  'tr',
  'td',
  'b',
  'img',
  'style',
  'textarea',
  'title',
  'script',
  'svg',
  'template',
  'body',
  'html',
  'head',
  'span',
  'br',
  'noscript',
  'xmp',
  'plaintext',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function attr(r: () => number): string {
  const name = pick(r, ['href', 'HREF', 'Href', 'class', 'style', 'data-blitz-skip', 'title', 'alt', 'href']);
  const value =
    name.toLowerCase() === 'href' ? pick(r, URLS) : pick(r, ['x', 'a b', 'abmelden', '', 'color:red']);
  const eq = pick(r, ['=', ' = ', '=\n', '=']);
  switch (Math.floor(r() * 6)) {
    case 0:
      return ` ${name}${eq}'${value}'`;
    case 1:
      return ` ${name}${eq}${value.replace(/\s/g, '') || 'v'}`;
    case 2:
      return ` ${name}`;
    case 3:
      return ` ${name}${eq}"${value}`; // unterminated
    default:
      return ` ${name}${eq}"${value}"`;
  }
}

function piece(r: () => number): string {
  const k = r();
  if (k < 0.3) return pick(r, TEXTS);
  if (k < 0.55) {
    const tag = pick(r, TAGS);
    let attrs = '';
    const n = Math.floor(r() * 3);
    for (let i = 0; i < n; i++) attrs += attr(r);
    return `<${tag}${attrs}${r() < 0.1 ? ' /' : ''}${r() < 0.05 ? '' : '>'}`;
  }
  if (k < 0.75) return `</${pick(r, TAGS)}>`;
  if (k < 0.82)
    return pick(r, [
      '<!--',
      '-->',
      '<!-- x -->',
      '<!--[if mso]><a href="https://x.test/a">v</a><![endif]-->',
      '<!--[if !mso]><!-->',
      '<!--<![endif]-->',
    ]);
  if (k < 0.86)
    return pick(r, [
      '<!doctype html>',
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">',
      '<?xml version="1.0"?>',
      '<!x>',
    ]);
  if (k < 0.9) return pick(r, ['<', '</', '<>', '</>', '<a', '="', "'", '"']);
  return `<a href="${pick(r, URLS)}">${pick(r, TEXTS)}</a>`;
}

function randomHtml(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) s += piece(r);
  return s;
}

describe('injectTracking on random HTML-ish input', () => {
  it('never loses or changes a byte outside the splices, and tracks every extracted link', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const html = randomHtml(rng(seed));
      const links = extractTrackableLinks(html);
      const tracker = {
        ...trackerFor(links, `SEED${seed}xxxxxxxxxxxxxxxxxx`),
        honeypotUrl: 'https://c.test/h/hp',
      };
      const out = injectTracking(html, tracker);
      const context = `seed ${seed}: ${JSON.stringify(html)}`;

      expect(revertSplices(html, out, planTracking(html, tracker)), context).toBe(html);
      expect(imagesWithSrc(out, tracker.pixelUrl), context).toBe(1);

      const before = parsedLinks(html);
      const after = parsedLinks(out).filter((l) => l.href !== tracker.honeypotUrl);
      expect(after.length, context).toBe(before.length);
      const trackedHrefs = new Set(after.map((l) => l.href));
      for (const l of tracker.links) expect(trackedHrefs.has(l.trackedUrl), `${context} ${l.url}`).toBe(true);
    }
  });
});

describe('rewriteText on random text', () => {
  it('changes nothing but the tracked URLs', () => {
    const pieces = [
      'https://x.test/a',
      'http://x.test/b?c=(d)',
      ' ',
      '.',
      ',',
      '(',
      ')',
      '\n',
      'abmelden: ',
      'ü',
      '<',
      '>',
      '"',
      'xhttps://y.test',
      'https://',
    ];
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      let text = '';
      for (let i = 0, n = Math.floor(r() * 30); i < n; i++) text += pick(r, pieces);
      const links = extractTrackableLinks(undefined, text).map((url, i) => ({
        url,
        trackedUrl: `https://c.test/c/T${seed}/${i}`,
      }));
      const out = rewriteText(text, links);
      let back = out;
      for (const l of links) back = back.split(l.trackedUrl).join(l.url);
      expect(back, JSON.stringify(text)).toBe(text);
      for (const l of links) expect(out, JSON.stringify(text)).toContain(l.trackedUrl);
    }
  });
});
