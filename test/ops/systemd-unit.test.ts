import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const UNIT = resolve(__dirname, '../../deploy/blitz-collector.service');
const ROOT = resolve(__dirname, '../..');
const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup.reverse()) c();
});

/** the [Service] section's settings (a key may repeat) */
function serviceSettings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const s = /^\[(\w+)\]$/.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    out.set(k, [...(out.get(k) ?? []), line.slice(i + 1)]);
  }
  return out;
}

describe('deploy/blitz-collector.service', () => {
  const text = readFileSync(UNIT, 'utf8');
  const svc = serviceSettings(text);

  it('carries the hardening an operator expects', () => {
    const one = (k: string): string | undefined => svc.get(k)?.at(-1);
    expect(one('User')).toBe('blitz');
    expect(one('Group')).toBe('blitz');
    expect(one('UMask')).toBe('0077');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')).toBe('/var/lib/blitz');
    expect(one('StateDirectory')).toBe('blitz');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('Restart')).toBe('always');
    expect(one('KillSignal')).toBe('SIGTERM');
    // the data path the collector writes is the one it may write
    expect(one('ExecStart')).toContain('--db /var/lib/blitz/');
    // node itself gets the signal (npm would stand between)
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/node /);
  });

  it.skipIf(!ANALYZE)(
    `passes systemd-analyze verify without a warning, and its offline security report rates it OK${ANALYZE ? '' : ' (skipped: systemd-analyze not installed)'}`,
    () => {
      const v = spawnSync(ANALYZE!, ['verify', UNIT], { encoding: 'utf8' });
      expect(v.stderr + v.stdout).toBe('');
      expect(v.status).toBe(0);
      // the check itself bites: a misspelt key is reported
      const dir = mkdtempSync(join(tmpdir(), 'blitz-unit-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const bad = join(dir, 'blitz-collector.service');
      writeFileSync(bad, text.replace('UMask=0077', 'UMsk=0077'));
      const b = spawnSync(ANALYZE!, ['verify', bad], { encoding: 'utf8' });
      expect(b.stderr).toContain("Unknown key 'UMsk'");

      const sec = spawnSync(ANALYZE!, ['security', '--offline=yes', UNIT], { encoding: 'utf8' });
      const m = /Overall exposure level for blitz-collector\.service: ([\d.]+) (\w+)/.exec(sec.stdout);
      expect(m, sec.stdout + sec.stderr).not.toBeNull();
      // systemd's scale: 0 = locked down … 10 = unprotected; below 2 is "OK"
      expect(Number(m![1])).toBeLessThan(2);
    },
  );

  it('its ExecStart line, run as written from the checkout, serves, gets ready and exits 0 on SIGTERM', async () => {
    const exec = svc.get('ExecStart')!.at(-1)!;
    const dir = mkdtempSync(join(tmpdir(), 'blitz-unit-run-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // only what a test machine cannot have is swapped: the port and the data folder
    const argv = exec.replace('--port 8080', '--port 0').replace('/var/lib/blitz/', `${dir}/`).split(/\s+/);
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', BLITZ_TRUST_PROXY: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no start: ${out}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('collector listening'));
        if (line) {
          clearTimeout(t);
          res((JSON.parse(line) as { url: string }).url);
        }
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // UMask=0077 is systemd's; the collector makes its database 0600 by itself as well
    expect(statSync(join(dir, 'collector.db')).mode & 0o077).toBe(0);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
