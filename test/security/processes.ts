import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RecordingNotifier } from '../../src-main/host/recording-notifier';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { startTestCore, type TestCore } from '../core/helpers';

export const ROOT = resolve(__dirname, '../..');

export interface Proc {
  child: ChildProcess;
  log(): string;
  /** true while the process has not exited */
  alive(): boolean;
  stop(): Promise<void>;
}

function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<Proc & { match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const stop = async (): Promise<void> => {
    if (!alive()) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(t);
  };
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      void stop();
      rej(new Error(`${args.join(' ')} did not start: ${buf}`));
    }, 90_000);
    const check = (): void => {
      const match = ready.exec(buf);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      res({ child, log: () => buf, alive, stop, match });
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${args.join(' ')} exited ${code}: ${buf}`));
    });
  });
}

export interface HostProc extends Proc {
  origin: string;
  token: string;
  dataDir: string;
}

/** A stand-in renderer folder (index.html + one asset): the host's static serving needs no real build. */
export function stubRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-sec-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Blitz</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
  return dir;
}

export interface InProcessHost {
  core: TestCore;
  host: RunningHost;
  close(): Promise<void>;
}

/** the browser host in this process, on a test core, serving stubRenderer() */
export async function startInProcessHost(): Promise<InProcessHost> {
  const core = await startTestCore();
  const renderer = stubRenderer();
  const host = await startHost({ core: core.core, notifier: new RecordingNotifier(), rendererDir: renderer });
  return {
    core,
    host,
    async close() {
      await host.close();
      await core.close();
      rmSync(renderer, { recursive: true, force: true });
    },
  };
}

/** `npm run web` as a child process: the real CLI, its own data folder. */
export async function startHostProcess(
  dataDir: string,
  rendererDir: string,
  extra: string[] = [],
): Promise<HostProc> {
  const p = await start(
    ['src-main/host/cli.ts', '--port', '0', '--data-dir', dataDir, '--renderer-dir', rendererDir, ...extra],
    {},
    /Blitz im Browser: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/,
  );
  return { ...p, origin: p.match[1]!, token: p.match[2]!, dataDir };
}

export interface CollectorProc extends Proc {
  url: string;
}

/** `npm run collector -- serve` as a child process on a SQLite file. */
export async function startCollectorProcess(db: string, env: NodeJS.ProcessEnv = {}): Promise<CollectorProc> {
  const p = await start(
    ['src-collector/cli.ts', 'serve', '--port', '0', '--db', db],
    { DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    /"url":"(http:\/\/[^"]+)"[^\n]*collector listening|collector listening[^\n]*"url":"(http:\/\/[^"]+)"/,
  );
  return { ...p, url: (p.match[1] ?? p.match[2])! };
}

export function removeDirs(dirs: string[]): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
