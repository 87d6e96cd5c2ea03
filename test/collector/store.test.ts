import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { reclassify } from '../../src-collector/reclassify';
import { openStore } from '../../src-collector/store/open';
import { ipPrefix } from '../../src-collector/util/ip';
import { startTestCollector } from '../support/collector';
import { call, CHROME_UA, hitPixel, register } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'blitz-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IP reduction', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:198.51.100.9', '198.51.100.0/24'],
    ['::FFFF:198.51.100.9', '198.51.100.0/24'],
    ['2001:db8:abcd:12:34::1', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['garbage', 'unknown'],
  ])('%s → %s', (ip, prefix) => {
    expect(ipPrefix(ip)).toBe(prefix);
  });
});

describe('SQLite store', () => {
  it('migrates to a versioned, STRICT, WAL schema with synchronous=FULL, and reopens idempotently', async () => {
    const file = join(dir, 'm.db');
    for (let i = 0; i < 2; i++) {
      const s = await openStore({ file });
      expect(s.ok).toBe(true);
      if (s.ok) await s.value.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ddl = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
      .get() as { sql: string };
    expect(ddl.sql).toMatch(/STRICT\s*$/);
    db.close();
  });

  it('refuses a database written by a newer collector', async () => {
    const file = join(dir, 'newer.db');
    const s = await openStore({ file });
    if (s.ok) await s.value.close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, ?)').run(
      new Date().toISOString(),
    );
    db.close();
    const again = await openStore({ file });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.detail).toContain('newer');
  });

  it('stores no full IP anywhere, and the API token only as its hash', async () => {
    const file = join(dir, 'ip.db');
    const c = await startTestCollector({ db: file });
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl);
    await c.close();
    const dump = spawnSync('sqlite3', [file, '.dump'], { encoding: 'utf8' });
    const text =
      dump.status === 0
        ? dump.stdout
        : JSON.stringify(new Database(file).prepare('SELECT * FROM events').all());
    expect(text).toContain('127.0.0.0/24');
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(c.agentToken);
  });

  it('an unreachable PostgreSQL named by DATABASE_URL is a clear error value, not a crash', async () => {
    // port 1: nothing listens there, whatever the machine runs on 5432
    const r = await openStore({ databaseUrl: 'postgres://blitz@127.0.0.1:1/blitz' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('postgres_not_available');
  });
});

describe('reclassify', () => {
  it('recomputes verdicts over stored signals, gives changed events a new seq and leaves corrections alone', async () => {
    const file = join(dir, 'rc.db');
    const c = await startTestCollector({
      db: file,
      classify: () => ({ verdict: 'human', reasons: ['old'] }),
    });
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl, CHROME_UA);
    await hitPixel(reg.trackers[0]!.pixelUrl, 'curl/8.0');
    const before = EventsResponse.parse((await call(`${c.url}/api/v1/events`, { token: c.adminToken })).body);
    const [e1, e2] = before.events;
    await call(`${c.url}/api/v1/events/${e1!.id}/verdict`, {
      token: c.agentToken,
      body: { verdict: 'self' },
    });

    const result = await reclassify(c.collector.store, (hit) =>
      hit.userAgent.startsWith('curl')
        ? { verdict: 'scanner', reasons: ['ua.script'] }
        : { verdict: 'human', reasons: ['new'] },
    );
    expect(result).toEqual({ messages: 1, events: 2, changed: 1 });
    const after = EventsResponse.parse(
      (await call(`${c.url}/api/v1/events?after=${before.next + 1}`, { token: c.adminToken })).body,
    );
    expect(after.events.map((e) => [e.id, e.client.verdict, e.client.reasons])).toEqual([
      [e2!.id, 'scanner', ['ua.script']],
    ]);
    await c.close();

    // the CLI runs the same over the file with the real classifier and reports what it did
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-collector/cli.ts', 'reclassify', '--db', file],
      {
        cwd: resolve(__dirname, '../..'),
        encoding: 'utf8',
      },
    );
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ messages: 1, events: 2 });
  });
});
