import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropertyDto } from '../../src-shared/ipc';
import type { Result } from '../../src-shared/result';
import { housePhoto } from '../fixtures/offers/generate';
import { publishSample } from '../offers/helpers';
import type { TestCollector } from '../support/collector';
import {
  ROOT,
  removeDirs,
  startCollectorProcess,
  startHostProcess,
  stubRenderer,
  type Proc,
} from './processes';

/**
 * Finding 4 of issue 14: the collector's database and WAL were 0644, its file folders 0755, the
 * desktop cache 0644. Both programs run here as their real CLIs under the common umask 022 and
 * do real work (an offer with files; a mail account, a property file, the local test mode);
 * then every folder they created must be 0700 and every file 0600, SQLite's -wal/-shm included.
 */
const dirs: string[] = [];
const procs: Proc[] = [];
let savedUmask = 0;

beforeAll(() => {
  savedUmask = process.umask(0o022);
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  process.umask(savedUmask);
  removeDirs(dirs);
});

/** every path under root (root included) whose mode is not 0700 (folders) or 0600 (files) */
function notPrivate(root: string): string[] {
  const wrong: string[] = [];
  const visit = (p: string): void => {
    const st = statSync(p);
    const mode = st.mode & 0o777;
    if (st.isDirectory()) {
      if (mode !== 0o700) wrong.push(`${relative(root, p) || '.'}/ ${mode.toString(8)}`);
      for (const e of readdirSync(p)) visit(join(p, e));
    } else if (mode !== 0o600) wrong.push(`${relative(root, p)} ${mode.toString(8)}`);
  };
  visit(root);
  return wrong;
}

function all(root: string): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    out.push(relative(root, p));
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
  };
  visit(root);
  return out;
}

describe('private files', () => {
  it('collector: database, WAL, SHM and offer files are 0600 in 0700 folders', async () => {
    const base = mkdtempSync(join(tmpdir(), 'blitz-sec-modes-'));
    dirs.push(base);
    const root = join(base, 'var', 'blitz');
    const db = join(root, 'collector.db');
    const cli = (...args: string[]): Record<string, string> => {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src-collector/cli.ts', ...args, '--db', db],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: '' },
        },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as Record<string, string>;
    };
    const { accountId } = cli('create-account', '--name', 'Modes GmbH');
    const { token } = cli(
      'create-user',
      '--account',
      accountId!,
      '--email',
      'a@m.example',
      '--name',
      'A',
      '--role',
      'agent',
    );
    const srv = await startCollectorProcess(db, { BLITZ_RATE_LIMIT: '0' });
    procs.push(srv);
    await publishSample({ url: srv.url } as TestCollector, token!, 'https://makler.example');

    const files = all(root);
    expect(files).toContain('collector.db-wal');
    expect(files).toContain('collector.db-shm');
    expect(files.some((f) => f.includes('.files/'))).toBe(true);
    expect(notPrivate(root)).toEqual([]);
    await srv.stop();
    expect(notPrivate(root)).toEqual([]);
  }, 180_000);

  it('browser host: data folder, cache, secrets, property files and local test mode', async () => {
    const base = mkdtempSync(join(tmpdir(), 'blitz-sec-modes-'));
    const renderer = stubRenderer();
    dirs.push(base, renderer);
    const root = join(base, 'home', '.blitz-web');
    const host = await startHostProcess(root, renderer);
    procs.push(host);
    const ipc = async <T>(op: string, body: unknown): Promise<T> => {
      const r = await fetch(`${host.origin}/ipc/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-blitz-token': host.token },
        body: JSON.stringify(body),
      });
      const res = (await r.json()) as Result<T>;
      if (!res.ok) throw new Error(`${op}: ${JSON.stringify(res.error)}`);
      return res.value;
    };
    await ipc('settings.saveMailAccount', {
      fromName: 'M',
      fromEmail: 'm@makler.example',
      smtp: { host: '127.0.0.1', port: 2525, security: 'none', user: 'm', password: 'pw' },
      imap: { host: '127.0.0.1', port: 1143, security: 'none', user: 'm', password: 'pw' },
    });
    const prop = await ipc<PropertyDto>('properties.save', { title: 'Musterhaus' });
    await ipc('properties.addFile', {
      propertyId: prop.id,
      role: 'image',
      name: 'Haus.png',
      contentType: 'image/png',
      contentBase64: housePhoto(3).toString('base64'),
    });
    await ipc('settings.startLocalTestMode', {});

    const files = all(root);
    for (const f of ['cache.sqlite', 'cache.sqlite-wal', 'secrets.json', 'local-collector'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('properties/'))).toBe(true);
    expect(notPrivate(root)).toEqual([]);
    await host.stop();
    expect(notPrivate(root)).toEqual([]);
  }, 180_000);
});
