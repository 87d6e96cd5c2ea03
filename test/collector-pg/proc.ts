import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const CLI = ['--import', 'tsx', 'src-collector/cli.ts'];

/** the collector CLI on a database URL (no SQLite file involved) */
export function cliPg(databaseUrl: string, ...args: string[]): unknown {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** everything the process logged so far (pino JSON lines) */
  log(): string;
  exited(): Promise<void>;
}

/** `collector serve` as a child process; resolves once it logs its URL */
export async function servePg(
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
  track?: ChildProcess[],
  /** more `serve` arguments, e.g. --db FILE with an empty databaseUrl */
  args: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, BLITZ_RATE_LIMIT: '0', LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track?.push(child);
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => (buf += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (buf += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve did not start: ${buf}`)), 20_000);
    const check = (): void => {
      for (const line of buf.split('\n')) {
        if (!line.includes('collector listening')) continue;
        clearTimeout(timer);
        res((JSON.parse(line) as { url: string }).url);
        return;
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => rej(new Error(`serve exited ${code}: ${buf}`)));
  });
  return {
    url,
    child,
    log: () => buf,
    exited: () =>
      new Promise<void>((r) =>
        child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
      ),
  };
}

export function killAll(children: readonly ChildProcess[]): void {
  for (const ch of children) if (ch.exitCode === null && ch.signalCode === null) ch.kill('SIGKILL');
}
