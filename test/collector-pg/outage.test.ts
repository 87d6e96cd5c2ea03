import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { createAccount, createUser } from '../../src-collector/accounts';
import { call, openStream, register } from '../collector/helpers';
import { PG_SKIP_REASON, skipWithoutPg } from './pg-support';

const skip = skipWithoutPg();
const SCRIPT = resolve(__dirname, '../../scripts/ci-postgres.sh');
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

function pgctl(...args: string[]): string {
  const r = spawnSync(SCRIPT, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ci-postgres.sh ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** a cluster of this test's own, because the test kills it */
function ownCluster(): { url: string; dir: string } {
  const out = pgctl('start');
  const url = /export DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /export BLITZ_PG_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`unexpected ci-postgres.sh output: ${out}`);
  cleanup.push(() => void pgctl('stop', dir));
  return { url, dir };
}

async function collector(url: string, lines: string[]): Promise<RunningCollector> {
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  const c = await startCollector({ databaseUrl: url, rateLimit: false, logger, heartbeatMs: 60_000 });
  cleanup.push(() => c.close());
  return c;
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** hits the collector logged as not stored (or not classified, which also means not stored) */
function lostInLog(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) {
    const j = JSON.parse(l) as { level: number; msg?: string; hits?: number };
    if (j.level < 50) continue;
    if (/^hits could not be/.test(j.msg ?? '') && typeof j.hits === 'number') n += j.hits;
    // a hit whose token or account switch could not be read is lost before it is queued
    else if (/^(pixel|click) hit not recorded$/.test(j.msg ?? '')) n += 1;
  }
  return n;
}

describe.skipIf(skip)(`PostgreSQL goes away under load${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('pixels still answer the GIF, failures are logged, and the collector recovers by itself when the database returns', async () => {
    const { url, dir } = ownCluster();
    const logA: string[] = [];
    const a = await collector(url, logA);
    const b = await collector(url, []);
    const account = await createAccount(a.store, 'Ausfall GmbH');
    const { token } = await createUser(a.store, {
      accountId: account.id,
      email: 'a@x.example',
      name: 'A',
      role: 'admin',
    });
    const reg = await register({ url: a.url }, token, {
      recipients: Array.from({ length: 300 }, (_, i) => ({ email: `r${i}@kunde.example` })),
    });
    const pixels = reg.trackers.map((t) => t.pixelUrl);
    const count = async (c: RunningCollector): Promise<number> => {
      let n = 0;
      let after = 0;
      for (;;) {
        const r = await call(`${c.url}/api/v1/events?after=${after}&limit=500`, { token });
        if (r.status !== 200) return -1;
        const page = EventsResponse.parse(r.body);
        n += page.events.length;
        if (page.events.length + page.messages.length === 0) return n;
        after = page.next;
      }
    };
    // every tracker resolved once while the database is up (the pixel path caches tokens)
    for (const p of pixels.slice(0, 100)) expect((await fetch(p)).status).toBe(200);
    expect(await count(a)).toBe(100);
    const stream = openStream(`${b.url}/api/v1/events/stream`, token);
    cleanup.push(() => stream.close());
    await stream.ready;
    await stream.waitFor(() => stream.frames.filter((f) => f.event === 'event').length === 100);

    pgctl('crash', dir);
    const during = await Promise.all(
      pixels.slice(0, 100).map(async (p) => {
        const r = await fetch(p);
        return {
          status: r.status,
          type: r.headers.get('content-type'),
          bytes: (await r.arrayBuffer()).byteLength,
        };
      }),
    );
    for (const d of during) expect(d).toEqual({ status: 200, type: 'image/gif', bytes: 43 });
    const api = await call<{ error: { code: string } }>(`${a.url}/api/v1/events`, { token });
    expect(api.status).toBeGreaterThanOrEqual(500);
    expect(api.body.error.code).toBeTruthy();
    // every hit the outage cost is named in the log: the counts of the error lines add up
    await until(async () => lostInLog(logA) >= 100, 5_000, 'the lost hits logged');
    expect(lostInLog(logA)).toBe(100);

    pgctl('resume', dir);
    // no restart of the collector: its pool reconnects on the next query
    await until(
      async () => (await fetch(pixels[200]!)).status === 200 && (await count(a)) === 101,
      15_000,
      'hits stored again',
    );
    for (const p of pixels.slice(201, 220)) await fetch(p).then((r) => r.arrayBuffer());
    expect(await count(a)).toBe(120);
    // and the other instance heard about it: its LISTEN came back too
    await stream.waitFor(() => stream.frames.filter((f) => f.event === 'event').length === 120, 10_000);
  }, 60_000);
});
