import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../src-collector/accounts';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg } from '../collector-pg/pg-support';
import { call, register } from '../collector/helpers';

const skipPg = skipWithoutPg();
const SCRIPT = resolve(__dirname, '../../scripts/ci-postgres.sh');
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

interface Ready {
  status: string;
  checks: Record<string, string>;
}

async function readyz(c: RunningCollector): Promise<{ status: number; body: Ready; text: string }> {
  return call<Ready>(`${c.url}/readyz`);
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** what every probe answer must not carry: nothing of an account, user or the database */
function expectNothingRevealed(text: string, secrets: string[]): void {
  for (const s of secrets) expect(text).not.toContain(s);
  expect(text).not.toMatch(/postgres|sqlite|\/tmp|127\.0\.0\.1/i);
}

describe('health and readiness on SQLite', () => {
  it('answer without a token, say nothing about accounts, and /readyz fails on a schema newer than this binary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-health-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'collector.db');
    const c = await startCollector({ db: file, rateLimit: false, logLevel: 'silent' });
    cleanup.push(() => c.close());
    const account = await createAccount(c.store, 'Gesund GmbH');
    const { token, user } = await createUser(c.store, {
      accountId: account.id,
      email: 'a@gesund.example',
      name: 'A',
      role: 'admin',
    });
    await register(c, token);

    const h = await call<{ status: string }>(`${c.url}/healthz`);
    expect(h.status).toBe(200);
    expect(h.body).toEqual({ status: 'ok' });
    expect(h.headers.get('cache-control')).toBe('no-store');

    const r = await readyz(c);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: 'ready',
      checks: { store: 'ok', schema: 'current', writerQueue: 'ok', shutdown: 'no' },
    });
    expectNothingRevealed(r.text + h.text, [account.id, user.id, 'Gesund', token]);
    // the API itself still wants its token
    expect((await call(`${c.url}/api/v1/me`)).status).toBe(401);

    // a newer collector migrated the file: this one must leave the load balancer's rotation
    const other = new Database(file);
    other.prepare('INSERT INTO schema_version (version, applied_at) VALUES (999, ?)').run('x');
    await until(async () => (await readyz(c)).status === 503, 5_000, 'readyz 503');
    const bad = await readyz(c);
    expect(bad.body.status).toBe('not_ready');
    expect(bad.body.checks.schema).toBe('ahead');
    other.prepare('DELETE FROM schema_version WHERE version = 999').run();
    other.close();
    await until(async () => (await readyz(c)).status === 200, 5_000, 'readyz 200 again');
    // the process is alive all along
    expect((await call(`${c.url}/healthz`)).status).toBe(200);
  });

  it('/readyz answers 503 once shutdown has begun, while queued hits are still finishing', async () => {
    const c = await startCollector({ rateLimit: false, logLevel: 'silent' });
    const closing = c.app.close();
    const r = await fetch(`${c.url}/readyz`).catch(() => null);
    // either fastify's own 503 for a closing server or the refused connection: never 200
    if (r) expect(r.status).toBe(503);
    await closing;
    await c.close();
  });
});

describe.skipIf(skipPg)(
  `health and readiness on PostgreSQL${skipPg ? ` (skipped: ${PG_SKIP_REASON})` : ''}`,
  () => {
    function pgctl(...args: string[]): string {
      const r = spawnSync(SCRIPT, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ci-postgres.sh ${args[0]} failed: ${r.stderr}`);
      return r.stdout;
    }

    it('/readyz goes 503 while the database is down and 200 when it is back; /healthz stays 200', async () => {
      // a cluster of this test's own: the test stops it (never the shared one)
      const out = pgctl('start');
      const url = /export DATABASE_URL=(\S+)/.exec(out)?.[1];
      const dir = /export BLITZ_PG_DIR=(\S+)/.exec(out)?.[1];
      if (!url || !dir) throw new Error(`unexpected ci-postgres.sh output: ${out}`);
      cleanup.push(() => void pgctl('stop', dir));
      const c = await startCollector({ databaseUrl: url, rateLimit: false, logLevel: 'silent' });
      cleanup.push(() => c.close());

      const r = await readyz(c);
      expect(r.status).toBe(200);
      expect(r.body.checks).toEqual({ store: 'ok', schema: 'current', writerQueue: 'ok', shutdown: 'no' });

      pgctl('crash', dir);
      await until(async () => (await readyz(c)).status === 503, 10_000, 'readyz 503 with the database down');
      const down = await readyz(c);
      expect(down.body.checks.store).toBe('unreachable');
      expectNothingRevealed(down.text, [url]);
      expect((await call(`${c.url}/healthz`)).status).toBe(200);

      pgctl('resume', dir);
      await until(async () => (await readyz(c)).status === 200, 20_000, 'readyz 200 with the database back');
    }, 150_000);

    it('/readyz fails on a schema newer than this binary (shared test database, own schema)', async () => {
      const schema = await createScratchSchema();
      cleanup.push(() => schema.drop());
      const c = await startCollector({ databaseUrl: schema.url, rateLimit: false, logLevel: 'silent' });
      cleanup.push(() => c.close());
      expect((await readyz(c)).status).toBe(200);
      const sql = postgres(schema.url, { max: 1, onnotice: () => {} });
      cleanup.push(() => sql.end({ timeout: 1 }));
      await sql`INSERT INTO schema_version (version, applied_at) VALUES (999, now())`;
      await until(async () => (await readyz(c)).status === 503, 5_000, 'readyz 503');
      expect((await readyz(c)).body.checks.schema).toBe('ahead');
    });
  },
);
