import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TRUSTED_PROXY } from './traffic';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TSX = ['--import', 'tsx'];

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits for its JSON line carrying `url` on stdout.
 * `ownSession`: the server runs in a session of its own (setsid). Linux with autogroup scheduling
 * (sched_autogroup_enabled) shares the CPU between sessions first: a server in the bench's session
 * takes its CPU from the bench's share, as if both ran on one core of a busy machine. A hosted
 * collector runs elsewhere; in a session of its own it gets a share of its own, as on a quiet
 * machine where it has a core to itself.
 */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { ownSession?: boolean } = {},
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    detached: opts.ownSession ?? false,
    cwd: ROOT,
    // behind a proxy as in production: the load generator's X-Forwarded-For is the client (lib/traffic.ts)
    env: {
      ...process.env,
      BLITZ_RATE_LIMIT: '0',
      BLITZ_TRUST_PROXY: TRUSTED_PROXY,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`server did not start: ${buf}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        try {
          const j = JSON.parse(line) as { url?: string };
          if (j.url) {
            clearTimeout(timer);
            res(j.url);
            return;
          }
        } catch {
          // not a complete JSON line yet
        }
      }
    });
    child.once('exit', (code) => rej(new Error(`server exited ${code}: ${buf}`)));
  });
  // a detached server would outlive a bench that dies
  const orphan = (): void => void child.kill('SIGKILL');
  if (opts.ownSession) process.once('exit', orphan);
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((r) => {
        process.off('exit', orphan);
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, [...TSX, 'src-collector/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`collector ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * One account with one user in a fresh collector store, made with the collector's own CLI;
 * returns the user's API token. `storeArgs`: `--db FILE` for SQLite, none with DATABASE_URL in
 * `env` for PostgreSQL.
 */
export function benchUser(
  storeArgs: string[],
  role: 'agent' | 'admin' = 'agent',
  env: NodeJS.ProcessEnv = {},
): string {
  const { accountId } = JSON.parse(runCli(['create-account', '--name', 'Bench', ...storeArgs], env)) as {
    accountId: string;
  };
  const user = JSON.parse(
    runCli(
      [
        'create-user',
        '--account',
        accountId,
        '--email',
        'b@bench.example',
        '--name',
        'B',
        '--role',
        role,
        ...storeArgs,
      ],
      env,
    ),
  ) as { token: string };
  return user.token;
}

/** the fields of /proc/<pid>/stat after the command's closing parenthesis (state is [0]), or null */
function procStat(pid: number | undefined, task?: number): string[] | null {
  try {
    const stat = readFileSync(
      task === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`,
      'utf8',
    );
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** user + system CPU of a process so far in ms (NaN where there is none): utime and stime */
export function processCpuMs(pid: number | undefined): number {
  const f = procStat(pid);
  return f ? cpuMsOf(f) : NaN;
}
/** utime + stime of a /proc stat line's fields (procStat), in ms */
function cpuMsOf(f: readonly string[]): number {
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
}
/** each thread's user + system CPU so far in ms, by thread id, with its name (empty where there is none) */
export interface ThreadCounters {
  name: string;
  ms: number;
  /** the part of ms spent in the kernel (stime) */
  sysMs: number;
  faults: number;
  /** ms runnable but waiting for a core (schedstat), NaN where the kernel keeps no schedstat */
  waitMs: number;
  /** times the kernel took the core from it while it could have run on (nonvoluntary_ctxt_switches) */
  preempted: number;
}

export function threadCpuMs(pid: number | undefined): Map<number, ThreadCounters> {
  const out = new Map<number, ThreadCounters>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids.map(Number)) {
    const f = procStat(pid, tid);
    if (!f) continue;
    let name = '';
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      // the thread ended
    }
    out.set(tid, {
      name,
      ms: cpuMsOf(f),
      sysMs: (Number(f[12]) * 1000) / CLOCK_TICKS,
      faults: Number(f[7]),
      waitMs: readNumber(`/proc/${pid}/task/${tid}/schedstat`, (t) => Number(t.split(' ')[1]) / 1e6),
      preempted: readNumber(`/proc/${pid}/task/${tid}/status`, (t) =>
        Number(/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(t)?.[1] ?? NaN),
      ),
    });
  }
  return out;
}
/** a number read from a /proc file, NaN when the file is gone (the thread ended) */
function readNumber(file: string, parse: (text: string) => number): number {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return NaN;
  }
}
/** USER_HZ: 100 on Linux */
const CLOCK_TICKS = 100;

/** a process's minor page faults so far (NaN where there is none): minflt */
export function minorFaults(pid: number | undefined): number {
  const f = procStat(pid);
  return f ? Number(f[7]) : NaN;
}

/**
 * Writes the page cache's dirty data to disk now (sync(1)) and returns how long that took (ms).
 * Called before each timed part of a run: the kernel writes back what is older than 30 s
 * (vm.dirty_expire_centisecs) on the same two cores, so what one part wrote (the fill, the sync's
 * cache, a limit's) would otherwise be written back during whichever part came next.
 */
export function flushDisk(): number {
  const t0 = performance.now();
  spawnSync('sync', { stdio: 'ignore' });
  return performance.now() - t0;
}
