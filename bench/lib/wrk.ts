import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prospectHeaders } from './traffic';

export interface LoadResult {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

/**
 * wrk as a separate process, rotating over `paths` so hits spread over many tokens, and over the
 * prospects' header sets (lib/traffic.ts; 509 of them against 500 paths, so pairs keep changing).
 * Every server under test gets exactly the same requests. Non-2xx answers and socket errors are
 * counted as errors.
 */
export async function wrk(
  base: string,
  paths: readonly string[],
  opts: { connections: number; threads: number; durationS: number },
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-'));
  const script = join(dir, 'paths.lua');
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local headers = {${prospectHeaders()
      .map(
        (h) =>
          `{${Object.entries(h)
            .map(([k, v]) => `[${JSON.stringify(k)}]=${JSON.stringify(v)}`)
            .join(',')}}`,
      )
      .join(',')}}
local i = 0
local j = 0
request = function()
  i = i % #paths + 1
  j = j % #headers + 1
  return wrk.format("GET", paths[i], headers[j])
end
`,
  );
  let out: string;
  try {
    out = await new Promise<string>((res, rej) => {
      const p = spawn('wrk', [
        `-t${opts.threads}`,
        `-c${opts.connections}`,
        `-d${opts.durationS}s`,
        '--latency',
        '-s',
        script,
        base,
      ]);
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.on('error', rej);
      p.on('exit', (code) => (code === 0 ? res(text) : rej(new Error(`wrk exited ${code}: ${text}`))));
    });
  } finally {
    // the script is read at wrk's start; nothing of the run needs the directory afterwards
    rmSync(dir, { recursive: true, force: true });
  }
  return parseWrk(out);
}

function toMs(v: string, unit: string): number {
  const n = Number(v);
  if (unit === 'us') return n / 1000;
  if (unit === 's') return n * 1000;
  return n;
}

export function parseWrk(out: string): LoadResult {
  const pct = (p: string): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  const reqs = /(\d+) requests in/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const sockErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return {
    requests: reqs ? Number(reqs[1]) : 0,
    rps: rps ? Number(rps[1]) : 0,
    p50ms: pct('50'),
    p99ms: pct('99'),
    errors: (non2xx ? Number(non2xx[1]) : 0) + sockErrors,
  };
}
