/**
 * npm run soak [-- --duration 180] [--store sqlite|postgres] [--json FILE]
 *
 * A bounded soak of one collector process on loopback: pixel, click and pull traffic from
 * several clients at once (pixel and click workers, agents and an admin pulling by cursor, an
 * SSE stream per viewer), for `--duration` seconds (default 180). RSS of the collector is
 * sampled every 2 s. At the end the traffic stops and everything is reconciled exactly:
 * answered hits = stored events (per type), every puller and every stream holds each event it
 * may see exactly once, no request failed, nothing logged at error level, memory flat.
 * Exit code 0 when all of that holds, 1 otherwise. PostgreSQL: DATABASE_URL, or a throwaway
 * cluster of scripts/ci-postgres.sh.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EventsResponse, type RegisterMessageResponse } from '../src-shared/api';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '180' },
    store: { type: 'string', default: 'sqlite' },
    json: { type: 'string' },
  },
});
const DURATION_S = Math.max(5, Math.min(3600, Number(values.duration)));
const STORE = values.store === 'postgres' ? 'postgres' : 'sqlite';
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

const tmp = mkdtempSync(join(tmpdir(), 'blitz-soak-'));
const cleanups: (() => void)[] = [() => rmSync(tmp, { recursive: true, force: true })];
function cleanup(): void {
  for (const c of cleanups.splice(0).reverse()) c();
}
process.on('exit', cleanup);

function databaseEnv(): NodeJS.ProcessEnv {
  if (STORE === 'sqlite') return { DATABASE_URL: '' };
  if (process.env.DATABASE_URL) return { DATABASE_URL: process.env.DATABASE_URL };
  const r = spawnSync(join(ROOT, 'scripts/ci-postgres.sh'), ['start'], { encoding: 'utf8' });
  const url = /export DATABASE_URL=(\S+)/.exec(r.stdout)?.[1];
  const dir = /export BLITZ_PG_DIR=(\S+)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !url || !dir) throw new Error(`no PostgreSQL: ${r.stderr}`);
  cleanups.push(() => void spawnSync(join(ROOT, 'scripts/ci-postgres.sh'), ['stop', dir]));
  return { DATABASE_URL: url };
}

const env = databaseEnv();
const dbArgs = STORE === 'sqlite' ? ['--db', join(tmp, 'soak.db')] : [];
// a fresh schema on a shared database, so counts start at zero
if (STORE === 'postgres') {
  const schema = `soak_${process.pid}_${Date.now()}`;
  const u = new URL(env.DATABASE_URL!);
  const base = u.toString();
  spawnSync('psql', [base, '-qc', `CREATE SCHEMA ${schema}`], { encoding: 'utf8' });
  cleanups.push(() => void spawnSync('psql', [base, '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]));
  u.searchParams.set('search_path', schema);
  env.DATABASE_URL = u.toString();
}

function cli(...args: string[]): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-collector/cli.ts', ...args, ...dbArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface Served {
  url: string;
  child: ChildProcess;
  errorLines: string[];
}

async function serve(): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-collector/cli.ts', 'serve', '--port', '0', ...dbArgs],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, BLITZ_RATE_LIMIT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
  const errorLines: string[] = [];
  let buf = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve did not start: ${buf}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(line) as { level?: number; url?: string; msg?: string };
          if (j.msg === 'collector listening' && j.url) {
            clearTimeout(timer);
            res(j.url);
          }
          if ((j.level ?? 0) >= 50) errorLines.push(line);
        } catch {
          // not JSON
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => errorLines.push(d.toString()));
    child.once('exit', (code) => rej(new Error(`serve exited ${code}`)));
  });
  return { url, child, errorLines };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function api<T>(url: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T };
}

const { accountId } = cli('create-account', '--name', 'Soak GmbH') as { accountId: string };
const admin = cli(
  'create-user',
  '--account',
  accountId,
  '--email',
  'admin@soak.example',
  '--name',
  'Admin',
  '--role',
  'admin',
) as {
  userId: string;
  token: string;
};
const agents = [1, 2, 3].map(
  (i) =>
    cli(
      'create-user',
      '--account',
      accountId,
      '--email',
      `a${i}@soak.example`,
      '--name',
      `Agent ${i}`,
      '--role',
      'agent',
    ) as {
      userId: string;
      token: string;
    },
);
const server = await serve();
const base = server.url;

// every agent sends 10 messages of 10 individual recipients with 2 links each
const owned = new Map<string, string>(); // messageId → agent token
const pixels: string[] = [];
const clicks: string[] = [];
for (const [k, a] of agents.entries()) {
  for (let m = 0; m < 10; m++) {
    const r = await api<RegisterMessageResponse>(`${base}/api/v1/messages`, a.token, {
      clientId: `soak-${k}-${m}`,
      subject: `Exposé ${k}-${m}`,
      sentIndividually: true,
      recipients: Array.from({ length: 10 }, (_, i) => ({ email: `r${k}-${m}-${i}@kunde.example` })),
      links: ['https://makler.example/a', 'https://makler.example/b'],
    });
    if (r.status !== 200) throw new Error(`register failed: ${r.status}`);
    owned.set(r.body.messageId, a.token);
    for (const t of r.body.trackers) {
      pixels.push(new URL(t.pixelUrl).pathname);
      for (const l of t.links) clicks.push(new URL(l.trackedUrl).pathname);
    }
  }
}

const counts = { pixelOk: 0, clickOk: 0, pulls: 0, failures: [] as string[] };
const end = Date.now() + DURATION_S * 1000;
const rss: { t: number; mb: number }[] = [];
const t0 = Date.now();
const sampler = setInterval(
  () => rss.push({ t: (Date.now() - t0) / 1000, mb: rssMb(server.child.pid!) }),
  2000,
);

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function hitter(kind: 'pixel' | 'click', w: number): Promise<void> {
  const list = kind === 'pixel' ? pixels : clicks;
  for (let i = w; Date.now() < end; i += 7) {
    try {
      const r = await fetch(`${base}${list[i % list.length]}`, {
        redirect: 'manual',
        headers: { 'user-agent': UA },
      });
      await r.arrayBuffer();
      if (kind === 'pixel' && r.status === 200) counts.pixelOk++;
      else if (kind === 'click' && r.status === 302) counts.clickOk++;
      else counts.failures.push(`${kind} ${r.status}`);
    } catch (e) {
      counts.failures.push(`${kind} ${(e as Error).message}`);
    }
    // a mixed, not saturating, load: the soak looks for leaks and drift, not for the ceiling
    if (i % 50 === 0) await pause(5);
  }
}

interface Viewer {
  name: string;
  token: string;
  ids: Set<string>;
  seqs: number[];
  next: number;
}
const viewers: Viewer[] = [
  { name: 'admin', token: admin.token, ids: new Set(), seqs: [], next: 0 },
  ...agents.map((a, i) => ({
    name: `agent ${i + 1}`,
    token: a.token,
    ids: new Set<string>(),
    seqs: [],
    next: 0,
  })),
];

async function pullOnce(v: Viewer): Promise<number> {
  const r = await api<unknown>(`${base}/api/v1/events?after=${v.next}&limit=200`, v.token);
  counts.pulls++;
  if (r.status !== 200) {
    counts.failures.push(`pull ${r.status}`);
    return 0;
  }
  const page = EventsResponse.parse(r.body);
  for (const e of page.events) v.ids.add(e.id);
  // a page holds events and registrations; together they are one run of the account's sequence
  v.seqs.push(
    ...[...page.events.map((e) => e.seq), ...page.messages.map((m) => m.seq)].sort((a, b) => a - b),
  );
  v.next = page.next;
  return page.events.length + page.messages.length;
}

async function puller(v: Viewer): Promise<void> {
  while (Date.now() < end) {
    try {
      await pullOnce(v);
    } catch (e) {
      counts.failures.push(`pull ${(e as Error).message}`);
    }
    await pause(250);
  }
}

/** one SSE stream per viewer for the whole run: collects event ids (revisions repeat an id) */
function stream(v: Viewer): { ids: Set<string>; close(): void; done: Promise<void> } {
  const ids = new Set<string>();
  const ac = new AbortController();
  const done = (async () => {
    try {
      const r = await fetch(`${base}/api/v1/events/stream`, {
        headers: { authorization: `Bearer ${v.token}` },
        signal: ac.signal,
      });
      if (r.status !== 200 || !r.body) return void counts.failures.push(`stream ${r.status}`);
      const reader = r.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done: fin } = await reader.read();
        if (fin) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.includes('event: event')) continue;
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) ids.add((JSON.parse(data.slice(6)) as { id: string }).id);
        }
      }
    } catch (e) {
      if (!ac.signal.aborted) counts.failures.push(`stream ${(e as Error).message}`);
    }
  })();
  return { ids, close: () => ac.abort(), done };
}

process.stderr.write(
  `soak: ${STORE}, ${DURATION_S} s, ${pixels.length} pixel and ${clicks.length} click URLs, ${viewers.length} viewers\n`,
);
const streams = viewers.map(stream);
await Promise.all([
  ...Array.from({ length: 6 }, (_, w) => hitter('pixel', w)),
  ...Array.from({ length: 3 }, (_, w) => hitter('click', w)),
  ...viewers.map(puller),
]);
clearInterval(sampler);

// drain: final pulls until empty, streams a moment to catch up
for (const v of viewers) while ((await pullOnce(v)) > 0);
const truth = viewers[0]!;
// the admin's full pull, by message owner, is what each agent may see
const agentTruth = new Map<string, Set<string>>();
{
  let after = 0;
  for (;;) {
    const r = await api<unknown>(`${base}/api/v1/events?after=${after}&limit=1000`, admin.token);
    const page = EventsResponse.parse(r.body);
    if (page.events.length + page.messages.length === 0) break;
    for (const e of page.events) {
      const owner = owned.get(e.messageId)!;
      if (!agentTruth.has(owner)) agentTruth.set(owner, new Set());
      agentTruth.get(owner)!.add(e.id);
    }
    after = page.next;
  }
}
const countOwned = (token: string): number => agentTruth.get(token)?.size ?? 0;
const visible = (v: Viewer): number => (v.name === 'admin' ? truth.ids.size : countOwned(v.token));
const deadline = Date.now() + 10_000;
while (Date.now() < deadline && streams.some((s, i) => s.ids.size < visible(viewers[i]!))) await pause(100);
for (const s of streams) s.close();
await Promise.all(streams.map((s) => s.done));

// counts by type, from the admin's view
const byType = { opened: 0, clicked: 0 };
{
  let after = 0;
  const seen = new Set<string>();
  for (;;) {
    const r = await api<unknown>(`${base}/api/v1/events?after=${after}&limit=1000`, admin.token);
    const page = EventsResponse.parse(r.body);
    if (page.events.length + page.messages.length === 0) break;
    for (const e of page.events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      if (e.type === 'email.opened') byType.opened++;
      if (e.type === 'email.link_clicked') byType.clicked++;
    }
    after = page.next;
  }
}

const finalRss = rssMb(server.child.pid!);
server.child.kill('SIGTERM');
await new Promise<void>((r) => server.child.once('exit', () => r()));

// memory: after the first fifth (warm-up), the last third may not sit much above the first third
const warm = rss.filter((s) => s.t >= DURATION_S / 5);
const third = Math.max(1, Math.floor(warm.length / 3));
const avg = (xs: { mb: number }[]): number => xs.reduce((a, b) => a + b.mb, 0) / Math.max(1, xs.length);
const early = avg(warm.slice(0, third));
const late = avg(warm.slice(-third));
const memoryFlat = late <= early * 1.2 + 20;

const checks: [string, boolean, string][] = [
  [
    'no request failed',
    counts.failures.length === 0,
    `${counts.failures.length} failures ${counts.failures.slice(0, 5).join('; ')}`,
  ],
  [
    'nothing logged at error level',
    server.errorLines.length === 0,
    `${server.errorLines.length} lines ${server.errorLines.slice(0, 2).join(' ')}`,
  ],
  [
    'answered pixels = stored opens',
    byType.opened === counts.pixelOk,
    `${counts.pixelOk} answered, ${byType.opened} stored`,
  ],
  [
    'answered clicks = stored clicks',
    byType.clicked === counts.clickOk,
    `${counts.clickOk} answered, ${byType.clicked} stored`,
  ],
  ...viewers.map((v, i): [string, boolean, string] => {
    const want = visible(v);
    const ascending = v.seqs.every((s, k) => k === 0 || s > v.seqs[k - 1]!);
    return [
      `${v.name}: pulled each visible event once, seqs ascending; stream has them all`,
      v.ids.size === want && ascending && streams[i]!.ids.size === want,
      `pulled ${v.ids.size}/${want}, ascending ${ascending}, stream ${streams[i]!.ids.size}`,
    ];
  }),
  [
    'memory flat (RSS, last third ≤ 1.2 × first third + 20 MB)',
    memoryFlat,
    `${early.toFixed(0)} MB → ${late.toFixed(0)} MB (end ${finalRss.toFixed(0)} MB)`,
  ],
];

const summary = {
  store: STORE,
  durationS: DURATION_S,
  pixels: counts.pixelOk,
  clicks: counts.clickOk,
  pulls: counts.pulls,
  hitsPerSecond: Math.round((counts.pixelOk + counts.clickOk) / DURATION_S),
  rssMb: rss.map((s) => Math.round(s.mb)),
  checks: checks.map(([name, ok, detail]) => ({ name, ok, detail })),
};
for (const [name, ok, detail] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
console.log(
  `soak ${STORE} ${DURATION_S} s: ${counts.pixelOk} pixels, ${counts.clickOk} clicks (${summary.hitsPerSecond}/s), ${counts.pulls} pulls; RSS ${rss.map((s) => s.mb.toFixed(0)).join(' ')} MB`,
);
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
const passed = checks.filter((c) => c[1]).length;
console.log(`soak: ${passed} passed, ${checks.length - passed} failed`);
cleanup();
process.exit(checks.every((c) => c[1]) ? 0 : 1);
