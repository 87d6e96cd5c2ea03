import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { pdf } from '../../test/fixtures/offers/generate';
import { sampleFiles, sampleProperty } from '../../test/fixtures/offers/sample';
import { benchUser, startServer, TSX } from '../lib/proc';
import type { BenchOptions, Row, Scenario } from './types';

const RECIPIENTS = 50;
const BIG_PDF_BYTES = 5 * 1024 * 1024;
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Time to the response headers of one GET, over a fresh connection like a first visit. */
function ttfb(url: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const req = request(url, { headers: { 'user-agent': UA }, agent: false }, (r) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      r.resume();
      r.on('end', () => res(ms));
    });
    req.on('error', rej);
    req.end();
  });
}

async function cannon(url: string, connections: number, durationS: number) {
  return autocannon({ url, connections, duration: durationS, headers: { 'user-agent': UA } });
}

/**
 * The landing page as a prospect meets it: time to first byte and full load (Chromium,
 * navigation timing, cold cache), page throughput, and document download throughput. Every
 * page view and download is a durable hit (SQLite, synchronous=FULL, answered after commit).
 */
export const landing: Scenario = {
  name: 'landing',
  description: 'GET /l/{token}: TTFB, full load in Chromium, pages/s; 5 MiB document downloads MB/s',
  async run(opts: BenchOptions): Promise<Row[]> {
    const rows: Row[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-landing-'));
    const db = join(dir, 'bench.db');
    try {
      const token = benchUser(['--db', db]);
      const blitz = await startServer([...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db], {
        LOG_LEVEL: 'info',
      });
      try {
        const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const reg = (await (
          await fetch(`${blitz.url}/api/v1/messages`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({
              clientId: 'bench-landing',
              subject: 'Angebot',
              sentIndividually: true,
              recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({
                email: `r${i}@bench.example`,
                name: `Person ${i}`,
              })),
              links: [],
            }),
          })
        ).json()) as { messageId: string };
        const files = sampleFiles().files;
        files.push({
          role: 'document',
          name: 'Baubeschreibung.pdf',
          contentType: 'application/pdf',
          data: pdf('Baubeschreibung', ['Bench'], BIG_PDF_BYTES).toString('base64'),
        });
        const pubRes = await fetch(`${blitz.url}/api/v1/offers`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            messageId: reg.messageId,
            property: sampleProperty('https://makler.example', { legalForm: false }),
            files,
          }),
        });
        if (pubRes.status !== 200) throw new Error(`publish failed: ${pubRes.status} ${await pubRes.text()}`);
        const offer = (await pubRes.json()) as { landing: { url: string }[] };
        const urls = offer.landing.map((l) => l.url.replace(/^https?:\/\/[^/]+/, blitz.url));
        const first = urls[0]!;

        // time to first byte, sequential, fresh connection each
        for (let i = 0; i < 20; i++) await ttfb(urls[i % urls.length]!);
        const t: number[] = [];
        for (let i = 0; i < 200; i++) t.push(await ttfb(urls[i % urls.length]!));
        t.sort((a, b) => a - b);
        rows.push({
          scenario: 'landing',
          server: 'TTFB, sequential, new connection each',
          connections: 1,
          rps: 1000 / (t.reduce((a, b) => a + b, 0) / t.length),
          p50ms: pct(t, 50),
          p99ms: pct(t, 99),
          requests: t.length,
          errors: 0,
        });

        // full load in Chromium: HTML, CSS, JS and three images, cold cache
        if (existsSync('/usr/bin/chromium')) {
          const browser = await chromium.launch({
            executablePath: '/usr/bin/chromium',
            args: [
              '--headless',
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
            ],
          });
          try {
            const loads: number[] = [];
            const firstBytes: number[] = [];
            for (let i = 0; i < 25; i++) {
              const ctx = await browser.newContext({ userAgent: UA, viewport: { width: 1280, height: 800 } });
              const page = await ctx.newPage();
              await page.goto(urls[i % urls.length]!, { waitUntil: 'load' });
              const nav = await page.evaluate(() => {
                const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
                return { ttfb: n.responseStart - n.requestStart, load: n.loadEventEnd - n.startTime };
              });
              if (i >= 5) {
                loads.push(nav.load);
                firstBytes.push(nav.ttfb);
              }
              await ctx.close();
            }
            loads.sort((a, b) => a - b);
            firstBytes.sort((a, b) => a - b);
            rows.push({
              scenario: 'landing',
              server: 'Chromium full load (cold cache, 3 images)',
              connections: 1,
              rps: NaN,
              p50ms: pct(loads, 50),
              p99ms: pct(loads, 99),
              requests: loads.length,
              errors: 0,
              note: `navigation TTFB p50 ${pct(firstBytes, 50).toFixed(2)} ms`,
            });
          } finally {
            await browser.close();
          }
        }

        // page throughput: each view is a durable landing.visited hit
        if (opts.warmupS > 0) await cannon(first, opts.connections, opts.warmupS);
        const pages = await cannon(first, opts.connections, opts.durationS);
        rows.push({
          scenario: 'landing',
          server: 'landing page views (each a stored hit)',
          connections: opts.connections,
          rps: pages.requests.average,
          p50ms: pages.latency.p50,
          p99ms: pages.latency.p99,
          requests: pages.requests.total,
          errors: pages.errors + pages.non2xx,
        });

        // document download throughput (5 MiB PDF, each download a stored hit)
        const html = await (await fetch(first, { headers: { 'user-agent': UA } })).text();
        const docs = [...html.matchAll(/href="(\/l\/[^"]+\/doc\/[^"]+)"/g)].map((m) => m[1]!);
        const big = docs[docs.length - 1]!;
        const conns = Math.min(8, opts.connections);
        const dl = await cannon(`${blitz.url}${big}`, conns, opts.durationS);
        rows.push({
          scenario: 'landing',
          server: '5 MiB document downloads',
          connections: conns,
          rps: dl.requests.average,
          p50ms: dl.latency.p50,
          p99ms: dl.latency.p99,
          requests: dl.requests.total,
          errors: dl.errors + dl.non2xx,
          note: `${(dl.throughput.average / (1024 * 1024)).toFixed(0)} MiB/s`,
        });
      } finally {
        await blitz.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

// standalone: npx tsx bench/scenarios/landing.ts [--duration 5] [--connections 32]
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '1' },
    },
  });
  const rows = await landing.run({
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    connections: Number(values.connections),
    threads: 1,
  });
  const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '-');
  for (const r of rows) {
    console.log(
      `${r.server.padEnd(44)} conns ${String(r.connections).padStart(3)}  req/s ${f(r.rps).padStart(9)}  p50 ${f(r.p50ms).padStart(8)} ms  p99 ${f(r.p99ms).padStart(8)} ms  n ${r.requests}  err ${r.errors}  ${r.note ?? ''}`,
    );
  }
}
