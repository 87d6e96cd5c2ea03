import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hitUntilKilled, pullAll, registerLoad } from '../support/kill-under-load';
import { openStream } from './helpers';

const ROOT = resolve(__dirname, '../..');
const CLI = ['--import', 'tsx', 'src-collector/cli.ts'];
const dir = mkdtempSync(join(tmpdir(), 'blitz-durability-'));
const db = join(dir, 'collector.db');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): unknown {
  const r = spawnSync(process.execPath, [...CLI, ...args, '--db', db], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--db', db], {
    cwd: ROOT,
    env: { ...process.env, BLITZ_RATE_LIMIT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`serve did not start: ${buf}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('collector listening')) continue;
        const { url } = JSON.parse(line) as { url: string };
        clearTimeout(timer);
        res(url);
      }
    });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${buf}`)));
  });
  return { url, child };
}

describe('durability', () => {
  it('every hit answered 200 before SIGKILL is stored exactly once, and a pull from 0 sees each once in seq order', async () => {
    const { accountId } = cli('create-account', '--name', 'Dauerhaft GmbH') as { accountId: string };
    const { token } = cli(
      'create-user',
      '--account',
      accountId,
      '--email',
      'a@d.example',
      '--name',
      'A',
      '--role',
      'admin',
    ) as {
      token: string;
    };

    const first = await serve();
    const trackers = await registerLoad(first.url, token);
    const acked = await hitUntilKilled(trackers, 400, () => first.child.kill('SIGKILL'));
    await new Promise<void>((r) =>
      first.child.exitCode !== null || first.child.signalCode !== null
        ? r()
        : first.child.once('exit', () => r()),
    );
    expect(acked.size).toBeGreaterThanOrEqual(400);
    expect(acked.size).toBeLessThan(trackers.length);

    const second = await serve();
    const { seen, seqs } = await pullAll(second.url, token);
    for (const email of acked) expect(seen.get(email), email).toBe(1);
    for (const [email, n] of seen) expect(n, email).toBe(1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // registrations took 1..3; events follow without a gap
    expect(seqs[0]).toBe(4);
    expect(seqs[seqs.length - 1]).toBe(3 + seqs.length);

    // the stream from 0 tells the same story
    const s = openStream(`${second.url}/api/v1/events/stream`, token);
    await s.ready;
    await s.waitFor(() => s.frames.length >= seqs.length + 3, 10_000);
    expect(s.frames.filter((f) => f.event === 'event').map((f) => Number(f.id))).toEqual(seqs);
    s.close();
    second.child.kill('SIGTERM');
    await new Promise<void>((r) => second.child.once('exit', () => r()));
    expect(second.child.exitCode).toBe(0);
  }, 60_000);
});
