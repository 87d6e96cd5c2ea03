import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHA256_HEX, sha256Hex, writeContentAddressed } from '../../src-shared/content-addressed';

const WRITER = fileURLToPath(new URL('./content-addressed-writer.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blitz-cas-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writer(args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exit, output: () => out };
}

/** every file under `dir` whose name is a hash holds exactly the bytes of that hash */
function expectOnlyWholeFiles(folder: string): string[] {
  const whole = readdirSync(folder).filter((f) => SHA256_HEX.test(f));
  for (const f of whole) expect(sha256Hex(readFileSync(join(folder, f))), f).toBe(f);
  return whole;
}

describe('writeContentAddressed (src-shared)', () => {
  it('writes the bytes privately, makes the folder, and leaves no temp file', () => {
    const bytes = Buffer.from('Exposé Musterstraße 1');
    const target = join(dir, 'sub', 'owner', sha256Hex(bytes));
    writeContentAddressed(target, bytes);
    expect(readFileSync(target)).toEqual(bytes);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub', 'owner')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'sub', 'owner'))).toEqual([sha256Hex(bytes)]);
  });

  it('is a no-op for a whole file and repairs a short one', () => {
    const bytes = Buffer.from('0123456789');
    const target = join(dir, sha256Hex(bytes));
    writeContentAddressed(target, bytes);
    const first = statSync(target).ino;
    writeContentAddressed(target, bytes);
    expect(statSync(target).ino).toBe(first);
    // a truncated file (e.g. written by something that did not fsync) is replaced, not trusted
    writeFileSync(target, bytes.subarray(0, 4));
    writeContentAddressed(target, bytes);
    expect(readFileSync(target)).toEqual(bytes);
  });

  it('concurrent writers of the same names in separate processes all succeed, one whole file per name', async () => {
    const writers = Array.from({ length: 4 }, () => writer(['same', dir, 'shared', '40']));
    const codes = await Promise.all(writers.map((w) => w.exit));
    expect(codes).toEqual([0, 0, 0, 0]);
    for (const w of writers) expect(w.output()).toBe('done\n');
    // 40 names, each whole, and not one temp file left behind by a writer that lost a race
    expect(expectOnlyWholeFiles(dir)).toHaveLength(40);
    expect(readdirSync(dir)).toHaveLength(40);
  }, 60_000);

  it('a writer killed with SIGKILL mid-stream leaves only whole files under hash names', async () => {
    const w = writer(['many', dir, 'crash']);
    // let it get well into its stream of writes, then kill it wherever it is
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('writer wrote nothing in 30 s')), 30_000);
      w.proc.stdout.on('data', () => {
        if ((w.output().match(/^wrote /gm) ?? []).length >= 5) {
          clearTimeout(timeout);
          resolve();
        }
      });
    });
    w.proc.kill('SIGKILL');
    await w.exit;
    const acknowledged = [...w.output().matchAll(/^wrote ([0-9a-f]{64})$/gm)].map((m) => m[1]);
    const whole = expectOnlyWholeFiles(dir);
    // everything the writer reported done is there; nothing else under a hash name is partial
    for (const sha of acknowledged) expect(whole).toContain(sha);
    // anything else is an abandoned temp file, never a hash-named one
    for (const f of readdirSync(dir).filter((f) => !SHA256_HEX.test(f))) expect(f).toMatch(/\.tmp$/);
  }, 60_000);
});
