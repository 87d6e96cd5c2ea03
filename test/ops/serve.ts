import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../collector-pg/proc';

export interface Served {
  url: string;
  child: ChildProcess;
  log(): string;
}

/**
 * `collector serve` as its own process. Waits up to a minute for it: on the shared two-core test
 * machine under a full `npm test`, node + tsx alone took more than 20 s to start.
 */
export async function serveProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  track: ChildProcess[],
  timeoutMs = 60_000,
): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-collector/cli.ts', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, BLITZ_RATE_LIMIT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track.push(child);
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => (buf += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (buf += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`serve did not start within ${timeoutMs} ms: ${buf}`)),
      timeoutMs,
    );
    const check = (): void => {
      const line = buf.split('\n').find((l) => l.includes('collector listening'));
      if (!line) return;
      clearTimeout(timer);
      res((JSON.parse(line) as { url: string }).url);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`serve exited ${code}: ${buf}`));
    });
  });
  return { url, child, log: () => buf };
}
