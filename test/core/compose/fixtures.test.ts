import { describe, expect, it } from 'vitest';
import { extractTrackableLinks, injectTracking, rewriteText } from '../../../src-main/core/compose';
import { planTracking } from '../../../src-main/core/compose/inject';
import { fixture, imagesWithSrc, parsedLinks, revertSplices, trackerFor } from './helpers';

const B = 'https://www.makler-beispiel.de';

/** fixture → [links to track, hrefs rewritten in the output (duplicates count)] */
const EXPECTED: Record<string, [string[], number]> = {
  'newsletter-table.html': [
    [
      `${B}/?utm_source=newsletter&utm_medium=email`,
      `${B}/expose/4711?ref=nl&id=7`,
      `${B}/expose/4712`,
      `${B}/impressum`,
      `${B}/datenschutz`,
    ],
    7,
  ],
  'outlook-mso.html': [[`${B}/expose/4711`], 1],
  'signature.html': [
    [
      'https://www.immo-portal.example/objekt/998877',
      `${B}/`,
      'https://www.linkedin.com/in/petra-schaefer',
      'https://www.instagram.com/makler.beispiel/',
    ],
    5,
  ],
  'german-entities.html': [
    [
      'https://www.müller-immobilien.example/objekte/straße-12?lage=münchen&typ=wohnung',
      'https://maps.example.org/?q=Gro%C3%9Fe+Stra%C3%9Fe+12&z=15',
    ],
    2,
  ],
  'broken.html': [[`${B}/expose/1`, `${B}/expose/2`, `${B}/foster`, `${B}/expose/3?a=1&b=2`], 4],
  'attributes.html': [
    [
      `${B}/UPPER`,
      `${B}/single?x=1&y="2"`,
      `${B}/unquoted`,
      `${B}/unquoted2`,
      `${B}/spaced`,
      `${B}/padded`,
      `${B}/dup`,
      `${B}/dup#anker`,
      'HTTPS://WWW.MAKLER-BEISPIEL.DE/CAPS',
      `${B}/wohnzimmer`,
      `${B}/kueche`,
    ],
    12,
  ],
  'skip.html': [[`${B}/tracked`], 2],
  'fragment.html': [[`${B}/dokumente/mietvertrag.pdf`, `${B}/dokumente/grundriss-eg.pdf`], 2],
};

describe.each(Object.entries(EXPECTED))('fixture %s', (name, [links, rewrittenHrefs]) => {
  const html = fixture(name);
  const tracker = { ...trackerFor(links), honeypotUrl: 'https://c.test/h/TOKEN0123456789abcdefgh' };
  const output = injectTracking(html, tracker);

  it('extracts exactly the trackable links, in order of first appearance', () => {
    expect(extractTrackableLinks(html)).toEqual(links);
  });

  it('differs from the input only in the spliced hrefs and the pixel', () => {
    const splices = planTracking(html, tracker);
    expect(revertSplices(html, output, splices)).toBe(html);
    // every replaced range is the value of an <a>/<area> href in the input
    const inputHrefs = parsedLinks(html);
    for (const s of splices.filter((x) => x.end > x.start)) {
      expect(inputHrefs.some((l) => l.start < s.start && s.end <= l.end)).toBe(true);
    }
    expect(splices.filter((x) => x.start === x.end)).toHaveLength(1);
  });

  it('rewrites every occurrence of a tracked link and nothing else', () => {
    const byTracked = new Map(tracker.links.map((l) => [l.trackedUrl, l.url]));
    const before = parsedLinks(html);
    const after = parsedLinks(output).filter((l) => l.href !== tracker.honeypotUrl);
    expect(after).toHaveLength(before.length);
    let rewritten = 0;
    after.forEach((l, i) => {
      const original = byTracked.get(l.href);
      if (original !== undefined) {
        rewritten++;
        expect(before[i]!.href.trim()).toBe(original);
      } else {
        expect(l.href).toBe(before[i]!.href);
      }
    });
    expect(rewritten).toBe(rewrittenHrefs);
  });

  it('adds exactly one rendered pixel and one honeypot', () => {
    expect(imagesWithSrc(output, tracker.pixelUrl)).toBe(1);
    expect(parsedLinks(output).filter((l) => l.href === tracker.honeypotUrl)).toHaveLength(1);
    if (/<\/body>/i.test(html)) expect(output).toMatch(/style="[^"]*"><\/body>/i);
  });
});

describe('injectTracking details', () => {
  it('keeps the quote style and quotes unquoted values, HTML-escaping the tracked URL', () => {
    const html = fixture('attributes.html');
    const links = extractTrackableLinks(html);
    const tracker = trackerFor(links);
    const out = injectTracking(html, tracker);
    const t = (url: string) => tracker.links.find((l) => l.url === url)!.trackedUrl.replace(/&/g, '&amp;');
    expect(out).toContain(`<A HREF="${t(`${B}/UPPER`)}">`);
    expect(out).toContain(`<a href='${t(`${B}/single?x=1&y="2"`)}'>`);
    expect(out).toContain(`<a href="${t(`${B}/unquoted`)}">unquoted</a>`);
    expect(out).toContain(`<a href="${t(`${B}/unquoted2`)}" class=x>`);
    expect(out).toContain(`href   =   "${t(`${B}/spaced`)}"\n`);
    expect(out).toContain(`HREF="${t(`${B}/kueche`)}" ALT=Küche>`);
  });

  it('leaves links inside Outlook conditional comments byte for byte', () => {
    const html = fixture('outlook-mso.html');
    const out = injectTracking(html, trackerFor(extractTrackableLinks(html)));
    const vml = html.slice(html.indexOf('<!--[if mso]>\r\n<v:roundrect'), html.indexOf('<!--[if !mso]>'));
    expect(vml).toContain('href="https://www.makler-beispiel.de/expose/4711"');
    expect(out).toContain(vml);
    expect(out).toContain(
      '<!--[if mso]><a href="https://intranet.example/only-outlook">nur Outlook</a><![endif]-->',
    );
    expect(out).toContain('Ihr Makler-Team</p>\r\n<img src="https://c.test/o/');
  });

  it('keeps entities and raw umlauts as written', () => {
    const html = fixture('german-entities.html');
    const out = injectTracking(html, trackerFor(extractTrackableLinks(html)));
    expect(out).toContain('Gro&szlig;en Stra&szlig;e 12 in M&uuml;nchen-Schwabing');
    expect(out).toContain('78&nbsp;m²,&#160;Kaltmiete 1.450&nbsp;&euro;');
    expect(out).toContain('>Exposé Große Straße&nbsp;12</a>');
    expect(out).not.toContain('lage=m&uuml;nchen');
  });

  it('matches hrefs after decoding entities', () => {
    const html = '<a href="https://x.test/?a=1&amp;b=2">1</a><a href="https://x.test/?a=1&#38;b=2">2</a>';
    const links = extractTrackableLinks(html);
    expect(links).toEqual(['https://x.test/?a=1&b=2']);
    const out = injectTracking(html, {
      pixelUrl: 'https://c.test/p.gif',
      links: [{ url: links[0]!, trackedUrl: 'https://c.test/c/T/0' }],
    });
    expect(out).toBe(
      '<a href="https://c.test/c/T/0">1</a><a href="https://c.test/c/T/0">2</a>' +
        pixelTag('https://c.test/p.gif'),
    );
  });

  it('leaves links the collector did not return untouched', () => {
    const html = '<body><a href="https://x.test/a">a</a><a href="https://x.test/b">b</a></body>';
    const out = injectTracking(html, {
      pixelUrl: 'https://c.test/p.gif',
      links: [{ url: 'https://x.test/b', trackedUrl: 'https://c.test/c/T/1' }],
    });
    expect(out).toBe(
      `<body><a href="https://x.test/a">a</a><a href="https://c.test/c/T/1">b</a>${pixelTag('https://c.test/p.gif')}</body>`,
    );
  });

  it('omits the honeypot when no URL is given', () => {
    const out = injectTracking('<p>x</p>', { pixelUrl: 'https://c.test/p.gif', links: [] });
    expect(out).toBe('<p>x</p>' + pixelTag('https://c.test/p.gif'));
  });

  it('puts the pixel where a browser renders it when the mail ends inside a tag or comment', () => {
    for (const html of [
      '<p>Hallo <img src="a.png" alt="kaputt',
      '<p>Hallo</p><!-- offen',
      '<p>Hallo<textarea>x',
      '<p>x</p><style>p{}',
    ]) {
      const out = injectTracking(html, { pixelUrl: 'https://c.test/p.gif', links: [] });
      expect(imagesWithSrc(out, 'https://c.test/p.gif')).toBe(1);
      expect(out.replace(pixelTag('https://c.test/p.gif'), '')).toBe(html);
    }
  });

  it('tracks a link the parser reopens after misnesting exactly once', () => {
    const html = '<p><a href="https://x.test/a">eins<p>zwei</a>';
    const out = injectTracking(html, {
      pixelUrl: 'https://c.test/p.gif',
      links: [{ url: 'https://x.test/a', trackedUrl: 'https://c.test/c/T/0' }],
    });
    expect(out).toBe('<p><a href="https://c.test/c/T/0">eins<p>zwei</a>' + pixelTag('https://c.test/p.gif'));
  });
});

describe('rewriteText', () => {
  const text = fixture('plain-text.txt');
  const links = extractTrackableLinks(undefined, text);

  it('finds URLs with prose punctuation and brackets kept out, skips unsubscribe lines', () => {
    expect(links).toEqual([
      `${B}/expose/4711?ref=mail&id=7`,
      'https://maps.example.org/?q=Berlin',
      `${B}/lage`,
      `${B}/zitat`,
      'https://de.wikipedia.org/wiki/Prenzlauer_Berg_(Berlin)',
    ]);
  });

  it('replaces each occurrence and keeps every other character', () => {
    const tracked = links.map((url, i) => ({ url, trackedUrl: `https://c.test/c/T/${i}` }));
    const out = rewriteText(text, tracked);
    expect(out).toContain('hier das Exposé: https://c.test/c/T/0.\n');
    expect(out).toContain('Die Lage (https://c.test/c/T/1) ist top');
    expect(out).toContain('<https://c.test/c/T/2>, "https://c.test/c/T/3" und\nhttps://c.test/c/T/4!\n');
    expect(out).toContain('Nochmal das Exposé: https://c.test/c/T/0\n');
    expect(out).toContain(
      'https://www.makler-beispiel.de/nl/off?u=1\nAbmelden: https://www.makler-beispiel.de/nl/off?u=2\n',
    );
    let back = out;
    tracked.forEach((l) => (back = back.split(l.trackedUrl).join(l.url)));
    expect(back).toBe(text);
  });

  it('counts text links after the HTML ones without duplicates', () => {
    expect(
      extractTrackableLinks(
        '<a href="https://x.test/b">b</a>',
        'siehe https://x.test/a und https://x.test/b',
      ),
    ).toEqual(['https://x.test/b', 'https://x.test/a']);
  });
});

function pixelTag(src: string): string {
  return `<img src="${src}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px;overflow:hidden">`;
}
