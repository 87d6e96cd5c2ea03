/**
 * Tracking a 1 MB HTML message with 500 links: median time of extractTrackableLinks +
 * injectTracking, against a bare parse5 parse of the same input measured in the same run.
 *
 *   npx tsx bench/compose.ts [runs=15]
 */
import { parse } from 'parse5';
import { extractTrackableLinks, injectTracking } from '../src-main/core/compose';

const RUNS = Number(process.argv[2] ?? 15);
const LINKS = 500;
const TARGET_BYTES = 1024 * 1024;

/** A newsletter-like mail: table rows with German text, entities, images and MSO blocks. */
function makeHtml(): string {
  const rows: string[] = [];
  const filler =
    'Gro&szlig;z&uuml;gige 3-Zimmer-Wohnung mit Balkon, ruhige Lage, Nähe U-Bahn – Übergabe nach Vereinbarung. ';
  for (let i = 0; i < LINKS; i++) {
    rows.push(
      `<tr><td class="col" style="padding:8px 24px;font-family:Arial,sans-serif;font-size:15px;color:#333;">` +
        `<a href="https://www.makler-beispiel.de/expose/${i}?utm_source=nl&amp;utm_medium=email"><img src="https://cdn.makler-beispiel.de/${i}.jpg" width="280" alt="Objekt ${i}"></a>` +
        `<!--[if mso]><v:roundrect href="https://www.makler-beispiel.de/expose/${i}" style="height:40px;width:200px;"><center>Exposé</center></v:roundrect><![endif]-->` +
        `<p>${filler.repeat(3)}<a href="https://www.makler-beispiel.de/expose/${i}?utm_source=nl&amp;utm_medium=email">Mehr&nbsp;erfahren</a></p></td></tr>\n`,
    );
  }
  let body = rows.join('');
  const pad = `<tr><td><p>${filler.repeat(20)}</p></td></tr>\n`;
  while (Buffer.byteLength(body) < TARGET_BYTES - 2000) body += pad;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Neue Objekte</title></head><body><table width="600">\n${body}</table>\n<p><a href="https://www.makler-beispiel.de/nl/off">Newsletter abbestellen</a></p></body></html>`;
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function stats(xs: number[]): { median: number; p90: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p90: at(0.9), min: s[0]! };
}

const base = makeHtml();
const links = extractTrackableLinks(base);
const tracker = {
  pixelUrl: 'https://collector.example/o/AAAAAAAAAAAAAAAAAAAAAA.gif',
  links: links.map((url, i) => ({
    url,
    trackedUrl: `https://collector.example/c/AAAAAAAAAAAAAAAAAAAAAA/${i}`,
  })),
  honeypotUrl: 'https://collector.example/h/AAAAAAAAAAAAAAAAAAAAAA',
};
// each run gets a distinct string so the one-entry parse cache cannot serve it
const inputs = Array.from({ length: RUNS + 2 }, (_, i) => `${base}<!-- run ${i} -->`);

const results: Record<string, number[]> = {
  'parse5 parse (baseline)': [],
  'parse5 parse + locations': [],
  'extract + inject (cold)': [],
  'inject, next recipient (warm)': [],
};
for (let i = 0; i < RUNS + 2; i++) {
  const html = inputs[i]!;
  const warmup = i < 2;
  const rec = (k: string, ms: number) => !warmup && results[k]!.push(ms);
  rec(
    'parse5 parse (baseline)',
    time(() => parse(html)),
  );
  rec(
    'parse5 parse + locations',
    time(() => parse(html, { sourceCodeLocationInfo: true })),
  );
  rec(
    'extract + inject (cold)',
    time(() => {
      extractTrackableLinks(html);
      injectTracking(html, tracker);
    }),
  );
  rec(
    'inject, next recipient (warm)',
    time(() => injectTracking(html, { ...tracker, pixelUrl: tracker.pixelUrl + '?r=2' })),
  );
}

const out = injectTracking(base, tracker);
const baseline = stats(results['parse5 parse (baseline)']!).median;
console.log(
  `input ${(Buffer.byteLength(base) / 1024 / 1024).toFixed(2)} MB, ${links.length} distinct tracked links, ` +
    `${out.split('/c/AAAAAAAAAAAAAAAAAAAAAA/').length - 1} hrefs rewritten, ${Buffer.byteLength(out) - Buffer.byteLength(base)} bytes size change, ` +
    `${RUNS} runs, node ${process.version}`,
);
console.log('| operation | median ms | p90 ms | min ms | × baseline |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, xs] of Object.entries(results)) {
  const s = stats(xs);
  console.log(
    `| ${name} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.min.toFixed(1)} | ${(s.median / baseline).toFixed(2)} |`,
  );
}
