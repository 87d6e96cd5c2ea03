import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg, type ScratchSchema } from '../collector-pg/pg-support';
import { cliPg, killAll, ROOT, servePg } from '../collector-pg/proc';
import { hitUntilKilled, registerLoad } from '../support/kill-under-load';
import { checkStoredChain, type ChainRow, type HeadRow } from './chain-check';

const children: ChildProcess[] = [];
const dirs: string[] = [];
let schema: ScratchSchema | null = null;
let killSchema: ScratchSchema | null = null;
afterAll(async () => {
  killAll(children);
  await schema?.drop();
  await killSchema?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cli(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function publicPem(keyFile: string): string {
  return createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8'))).export({ type: 'spki', format: 'pem' }) as string;
}

/** export one address with the CLI and verify it with the verifier CLI, pinned to the key */
function exportAndVerify(env: NodeJS.ProcessEnv, dbArgs: string[], accountId: string, email: string, out: string, keyFile: string) {
  const ex = cli(env, 'src-collector/cli.ts', 'evidence', 'export', '--account', accountId, '--email', email, '--out', out, ...dbArgs);
  expect(ex.code, ex.stderr).toBe(0);
  const line = JSON.parse(ex.stdout) as { json: string; pdf: string; records: number };
  expect(line.records).toBeGreaterThanOrEqual(2);
  const pem = join(out, 'key.pem');
  writeFileSync(pem, publicPem(keyFile));
  const v = cli({}, 'scripts/verify-evidence.ts', line.json, '--key', pem);
  expect(v.stdout).toContain('gültig');
  expect(v.code).toBe(0);
}

describe('evidence chain under SIGKILL (SQLite)', () => {
  it('a collector killed while it chains leaves a chain that verifies; the next one chains the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-evidence-kill-'));
    dirs.push(dir);
    const db = join(dir, 'c.db');
    const keyFile = join(dir, 'key.pem');
    const env = { BLITZ_EVIDENCE_KEY: keyFile };
    const { accountId } = JSON.parse(cli(env, 'src-collector/cli.ts', 'create-account', '--name', 'K', '--db', db).stdout) as { accountId: string };
    const { token } = JSON.parse(
      cli(env, 'src-collector/cli.ts', 'create-user', '--account', accountId, '--email', 'a@k.example', '--name', 'A', '--role', 'admin', '--db', db).stdout,
    ) as { token: string };
    const first = await servePg('', env, children, ['--db', db]);
    const trackers = await registerLoad(first.url, token);
    // killed once the chainer has appended (it gathers writes for about a second): on a quiet
    // machine 300 hits take less than that
    const chainStarted = async (): Promise<void> => {
      for (const until = Date.now() + 30_000; Date.now() < until; ) {
        const d = new Database(db, { readonly: true });
        try {
          const n = d.prepare('SELECT COUNT(*) FROM evidence_chain WHERE account_id = ?').pluck().get(accountId);
          if (Number(n) > 0) return;
        } finally {
          d.close();
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const acked = await hitUntilKilled(trackers, 300, () => first.child.kill('SIGKILL'), chainStarted);
    await first.exited();

    const read = () => {
      const d = new Database(db, { readonly: true });
      try {
        return {
          rows: d.prepare('SELECT position, ref, record, record_hash, link FROM evidence_chain WHERE account_id = ? ORDER BY position').all(accountId) as ChainRow[],
          head: d.prepare('SELECT position, link FROM evidence_chain_heads WHERE account_id = ?').get(accountId) as { position: number; link: string } | undefined,
          signed: d.prepare('SELECT position, link, head, signature FROM evidence_signed_heads WHERE account_id = ? ORDER BY position').all(accountId) as HeadRow[],
          events: d.prepare('SELECT id FROM events WHERE account_id = ?').pluck().all(accountId) as string[],
        };
      } finally {
        d.close();
      }
    };
    const killed = read();
    expect(killed.rows.length).toBeGreaterThan(0);
    expect(checkStoredChain(killed.rows, killed.head, killed.signed, publicPem(keyFile))).toEqual([]);

    // a new instance chains what the killed one had not
    const second = await servePg('', env, children, ['--db', db]);
    let after = read();
    for (let i = 0; i < 300; i++) {
      const chained = new Set(after.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref.slice(6).split('@')[0]));
      if (after.events.every((e) => chained.has(e))) break;
      await new Promise((r) => setTimeout(r, 200));
      after = read();
    }
    const chained = new Set(after.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref.slice(6).split('@')[0]));
    expect(after.events.filter((e) => !chained.has(e))).toEqual([]);
    expect(after.events.length).toBeGreaterThanOrEqual(acked.size);
    expect(checkStoredChain(after.rows, after.head, after.signed, publicPem(keyFile))).toEqual([]);
    exportAndVerify(env, ['--db', db], accountId, [...acked][0]!, join(dir, 'out'), keyFile);
    second.child.kill('SIGTERM');
    await second.exited();
  }, 240_000);
});

const skip = skipWithoutPg();
describe.skipIf(skip)(`evidence chain on PostgreSQL: three instances, SIGKILL${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('three collectors chaining the same account at once give one linear chain with every event once', async () => {
    schema = await createScratchSchema();
    const dir = mkdtempSync(join(tmpdir(), 'blitz-evidence-pg-'));
    dirs.push(dir);
    const keyFile = join(dir, 'key.pem');
    const env = { BLITZ_EVIDENCE_KEY: keyFile };
    const { accountId } = cliPg(schema.url, 'create-account', '--name', 'Drei GmbH') as { accountId: string };
    const { token } = cliPg(schema.url, 'create-user', '--account', accountId, '--email', 'a@d.example', '--name', 'A', '--role', 'admin') as { token: string };
    const instances: Awaited<ReturnType<typeof servePg>>[] = [];
    for (let i = 0; i < 3; i++) instances.push(await servePg(schema.url, env, children));
    const trackers = await registerLoad(instances[0]!.url, token);
    // every hit to one of the three, 24 at a time
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 900) {
        const n = next++;
        const t = trackers[n]!;
        const u = new URL(t.pixelUrl);
        const target = new URL(instances[n % 3]!.url);
        u.host = target.host;
        const r = await fetch(u, { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) Thunderbird/128.0' } });
        await r.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));

    const sql = postgres(schema.url, { max: 1, onnotice: () => {}, types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } } });
    try {
      const read = async () => ({
        rows: await sql<ChainRow[]>`SELECT position, ref, record, record_hash, link FROM evidence_chain WHERE account_id = ${accountId} ORDER BY position`,
        head: (await sql<{ position: number; link: string }[]>`SELECT position, link FROM evidence_chain_heads WHERE account_id = ${accountId}`)[0],
        signed: await sql<HeadRow[]>`SELECT position, link, head, signature FROM evidence_signed_heads WHERE account_id = ${accountId} ORDER BY position`,
        events: (await sql<{ id: string }[]>`SELECT id FROM events WHERE account_id = ${accountId}`).map((r) => r.id),
      });
      let s = await read();
      for (let i = 0; i < 300; i++) {
        const chained = new Set(s.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref.slice(6).split('@')[0]));
        if (s.events.length >= 900 && s.events.every((e) => chained.has(e))) break;
        await new Promise((r) => setTimeout(r, 200));
        s = await read();
      }
      expect(s.events.length).toBe(900);
      const eventRefs = s.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref);
      expect(new Set(eventRefs).size).toBe(eventRefs.length);
      expect(new Set(eventRefs.map((r) => r.slice(6).split('@')[0]))).toEqual(new Set(s.events));
      // 1500 registrations (one record per recipient) + the events and their revisions
      expect(s.rows.filter((r) => r.ref.startsWith('message:'))).toHaveLength(1500);
      expect(checkStoredChain(s.rows, s.head, s.signed, publicPem(keyFile))).toEqual([]);
    } finally {
      await sql.end({ timeout: 2 });
    }
    exportAndVerify({ ...env, DATABASE_URL: schema.url }, [], accountId, trackers[4]!.recipientEmail!, join(dir, 'out'), keyFile);
    for (const i of instances) i.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exited()));
  }, 300_000);

  it('a collector killed while it chains leaves a chain that verifies; the next one chains the rest', async () => {
    killSchema = await createScratchSchema();
    const url = killSchema.url;
    const dir = mkdtempSync(join(tmpdir(), 'blitz-evidence-pg-kill-'));
    dirs.push(dir);
    const keyFile = join(dir, 'key.pem');
    const env = { BLITZ_EVIDENCE_KEY: keyFile };
    const { accountId } = cliPg(url, 'create-account', '--name', 'K') as { accountId: string };
    const { token } = cliPg(url, 'create-user', '--account', accountId, '--email', 'a@k.example', '--name', 'A', '--role', 'admin') as { token: string };
    const sql = postgres(url, { max: 1, onnotice: () => {}, types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } } });
    try {
      const first = await servePg(url, env, children);
      const trackers = await registerLoad(first.url, token);
      // killed once the chainer thread has appended, while hits still arrive
      const chainStarted = async (): Promise<void> => {
        for (const until = Date.now() + 30_000; Date.now() < until; ) {
          const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM evidence_chain WHERE account_id = ${accountId}`;
          if ((r?.n ?? 0) > 0) return;
          await new Promise((res) => setTimeout(res, 50));
        }
      };
      const acked = await hitUntilKilled(trackers, 300, () => first.child.kill('SIGKILL'), chainStarted);
      await first.exited();
      const read = async () => ({
        rows: await sql<ChainRow[]>`SELECT position, ref, record, record_hash, link FROM evidence_chain WHERE account_id = ${accountId} ORDER BY position`,
        head: (await sql<{ position: number; link: string }[]>`SELECT position, link FROM evidence_chain_heads WHERE account_id = ${accountId}`)[0],
        signed: await sql<HeadRow[]>`SELECT position, link, head, signature FROM evidence_signed_heads WHERE account_id = ${accountId} ORDER BY position`,
        events: (await sql<{ id: string }[]>`SELECT id FROM events WHERE account_id = ${accountId}`).map((r) => r.id),
      });
      const killed = await read();
      expect(killed.rows.length).toBeGreaterThan(0);
      expect(checkStoredChain(killed.rows, killed.head, killed.signed, publicPem(keyFile))).toEqual([]);

      const second = await servePg(url, env, children);
      let after = await read();
      const unchained = (x: typeof after): string[] => {
        const chained = new Set(x.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref.slice(6).split('@')[0]));
        return x.events.filter((e) => !chained.has(e));
      };
      for (let i = 0; i < 300 && unchained(after).length > 0; i++) {
        await new Promise((res) => setTimeout(res, 200));
        after = await read();
      }
      expect(unchained(after)).toEqual([]);
      expect(after.events.length).toBeGreaterThanOrEqual(acked.size);
      const eventRefs = after.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref);
      expect(new Set(eventRefs).size).toBe(eventRefs.length);
      expect(checkStoredChain(after.rows, after.head, after.signed, publicPem(keyFile))).toEqual([]);
      exportAndVerify({ ...env, DATABASE_URL: url }, [], accountId, [...acked][0]!, join(dir, 'out'), keyFile);
      second.child.kill('SIGTERM');
      await second.exited();
    } finally {
      await sql.end({ timeout: 2 });
    }
  }, 240_000);
});
