import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, ROOT } from '../collector-pg/proc';
import { serveProcess, type Served } from './serve';
import { call, CHROME_UA, openStream, register } from '../collector/helpers';
import { parseProm, sum, type Samples } from './prom';

const children: ChildProcess[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  killAll(children);
  for (const c of cleanup.reverse()) await c();
});

const METRICS_TOKEN = 'metrics-secret-for-the-test';

function cli(file: string, ...args: string[]): Record<string, string> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-collector/cli.ts', ...args, '--db', file], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

async function scrape(s: Served): Promise<Samples> {
  const r = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(r.status).toBe(200);
  return parseProm(await r.text());
}

/** a collector process of its own (`serve`), with an account, an admin token and `recipients` pixels */
async function setup(env: NodeJS.ProcessEnv, recipients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-metrics-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'collector.db');
  const { accountId } = cli(file, 'create-account', '--name', 'Messbar GmbH');
  const { token } = cli(
    file,
    'create-user',
    '--account',
    accountId!,
    '--email',
    'a@m.example',
    '--name',
    'A',
    '--role',
    'admin',
  );
  const s = await serveProcess(
    ['--port', '0', '--db', file],
    { DATABASE_URL: '', BLITZ_METRICS_TOKEN: METRICS_TOKEN, BLITZ_TRUST_PROXY: '127.0.0.1', ...env },
    children,
  );
  const reg = await register(s, token!, {
    recipients: Array.from({ length: recipients }, (_, i) => ({ email: `p${i}@kunde.example` })),
  });
  return { s, token: token!, pixels: reg.trackers.map((t) => t.pixelUrl) };
}

describe('Prometheus metrics', () => {
  it('/metrics wants the token when BLITZ_METRICS_TOKEN is set, and its counts match a load run', async () => {
    const { s, token, pixels } = await setup({}, 8);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );

    const before = await scrape(s);
    for (const name of [
      'blitz_hits_total',
      'blitz_write_batch_size',
      'blitz_commit_seconds',
      'blitz_writer_queue_depth',
      'blitz_open_streams',
      'blitz_pull_seconds',
      'blitz_rate_limit_refusals_total',
      'blitz_http_responses_total',
      'blitz_event_loop_lag_seconds',
      'blitz_process_memory_bytes',
    ]) {
      const text = await (
        await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      expect(text, name).toContain(`# TYPE ${name} `);
    }

    // the run: every pixel hit 250 times over 4 connections each, from prospects behind the proxy
    const PER_PIXEL = 250;
    const scrapes: Samples[] = [];
    let running = true;
    const scraper = (async () => {
      while (running) {
        scrapes.push(await scrape(s));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const results = await Promise.all(
      pixels.map((url, i) =>
        autocannon({
          url,
          connections: 4,
          amount: PER_PIXEL,
          headers: { 'user-agent': CHROME_UA, 'x-forwarded-for': `198.18.${i}.7` },
        }),
      ),
    );
    running = false;
    await scraper;
    const sent = results.reduce((n, r) => n + r['2xx'], 0);
    const errors = results.reduce((n, r) => n + r.errors + r.non2xx, 0);
    expect(errors).toBe(0);
    expect(sent).toBe(pixels.length * PER_PIXEL);

    const after = await scrape(s);
    const hits =
      sum(after, 'blitz_hits_total', 'kind="open"') - sum(before, 'blitz_hits_total', 'kind="open"');
    // every acknowledged pixel was one stored open: the metric counts what the run counted
    expect(hits).toBe(sent);
    // and what the store holds
    let stored = 0;
    for (let after = 0; ;) {
      const r = await call<{ events: unknown[]; messages: unknown[]; next: number }>(
        `${s.url}/api/v1/events?after=${after}&limit=1000`,
        { token },
      );
      stored += r.body.events.length;
      if (r.body.events.length + r.body.messages.length === 0) break;
      after = r.body.next;
    }
    expect(stored).toBe(sent);
    // group commit: batch sizes add up to the hits, one commit latency per batch
    const batches = sum(after, 'blitz_write_batch_size_count') - sum(before, 'blitz_write_batch_size_count');
    expect(sum(after, 'blitz_write_batch_size_sum') - sum(before, 'blitz_write_batch_size_sum')).toBe(sent);
    expect(sum(after, 'blitz_commit_seconds_count') - sum(before, 'blitz_commit_seconds_count')).toBe(
      batches,
    );
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThanOrEqual(sent);
    expect(sum(after, 'blitz_hits_failed_total')).toBe(0);
    // answers: at least every pixel (the scrapes and pulls are 2xx too), no 5xx
    expect(
      sum(after, 'blitz_http_responses_total', 'class="2xx"') -
        sum(before, 'blitz_http_responses_total', 'class="2xx"'),
    ).toBeGreaterThanOrEqual(sent);
    expect(sum(after, 'blitz_http_responses_total', 'class="5xx"')).toBe(0);
    // the pulls just made were timed
    expect(sum(await scrape(s), 'blitz_pull_seconds_count')).toBeGreaterThanOrEqual(2);
    // hits_total never went backwards while scraped during the run
    const seen = scrapes.map((x) => sum(x, 'blitz_hits_total'));
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(sum(after, 'blitz_process_memory_bytes', 'type="rss"')).toBeGreaterThan(10_000_000);
    expect(sum(after, 'blitz_event_loop_lag_seconds', 'quantile="max"')).toBeGreaterThanOrEqual(0);
    expect(sum(after, 'blitz_writer_queue_depth')).toBe(0);

    // an open stream is counted, and no longer once it closed
    const stream = openStream(`${s.url}/api/v1/events/stream`, token);
    await stream.ready;
    expect(sum(await scrape(s), 'blitz_open_streams')).toBe(1);
    stream.close();
    const end = Date.now() + 5000;
    while (sum(await scrape(s), 'blitz_open_streams') !== 0 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(sum(await scrape(s), 'blitz_open_streams')).toBe(0);
  }, 180_000);

  it('counts refusals over the public limit and 429s of the API; open without a token', async () => {
    const { s, pixels } = await setup(
      {
        BLITZ_METRICS_TOKEN: '',
        BLITZ_RATE_LIMIT: '1',
        BLITZ_RATE_PUBLIC_PER_TOKEN: '5',
        BLITZ_RATE_AUTH_FAILURES_PER_IP: '2',
      },
      1,
    );
    const open = await fetch(`${s.url}/metrics`);
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toContain('text/plain');
    await open.text();
    for (let i = 0; i < 8; i++) {
      const r = await fetch(pixels[0]!, { headers: { 'user-agent': CHROME_UA } });
      await r.arrayBuffer();
      expect(r.status).toBe(200);
    }
    // two wrong tokens are 401, the third is over the failed-login limit: 429
    for (let i = 0; i < 3; i++) await call(`${s.url}/api/v1/me`, { token: `wrong-token-${i}` });
    const m = parseProm(await (await fetch(`${s.url}/metrics`)).text());
    expect(sum(m, 'blitz_hits_total')).toBe(5);
    expect(sum(m, 'blitz_rate_limit_refusals_total', 'scope="public"')).toBe(3);
    expect(sum(m, 'blitz_rate_limit_refusals_total', 'scope="api"')).toBe(1);
    expect(sum(m, 'blitz_http_responses_total', 'class="4xx"')).toBe(3);
  }, 120_000);
});
