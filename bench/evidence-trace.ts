import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { wrk } from './lib/wrk';
import { startBlitz } from './scenarios/blitz-setup';
import { benchSchema } from './scenarios/pg-cluster';

/**
 * Issue 16, where the CPU goes while the evidence bench's PostgreSQL run hits the collector:
 * CPU seconds of the collector's threads (the chainer thread is the niced one), of the
 * PostgreSQL cluster's processes (by application_name for backends; the cluster must run on this
 * machine and be used by nothing else: scripts/ci-postgres.sh start), and how far the chain got,
 * per phase (warm-up, load, catch-up), chain off and on.
 *
 *   eval "$(scripts/ci-postgres.sh start)"; npx tsx bench/evidence-trace.ts [on|off|both] [SECONDS]
 */
const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL needed (a cluster of its own)');
const mode = process.argv[2] ?? 'both';
const durationS = Number(process.argv[3]) || 3;
const HZ = 100;

function cpuOf(statPath: string): { cpu: number; nice: number; comm: string } | null {
  try {
    const f = readFileSync(statPath, 'utf8');
    const comm = f.slice(f.indexOf('(') + 1, f.lastIndexOf(')'));
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return { cpu: (Number(rest[11]) + Number(rest[12])) / HZ, nice: Number(rest[16]), comm };
  } catch {
    return null;
  }
}

function postmasterPid(port: string): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('postgres') && cmd.includes(`-p\u0000${port}\u0000`)) return Number(d);
      if (cmd.includes('postgres') && cmd.includes(`-p ${port} `)) return Number(d);
    } catch {
      // gone
    }
  }
  throw new Error(`no postmaster on port ${port}`);
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(f.slice(f.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

interface Sample {
  t: number;
  behind: number;
  chained: number;
  collectorMain: number;
  collectorChainer: number;
  collectorOther: number;
  pgChainer: number;
  pgOther: number;
}

async function run(on: boolean): Promise<Record<string, unknown>> {
  const schema = await benchSchema(base!);
  const dir = mkdtempSync(join(tmpdir(), 'blitz-trace-'));
  process.env.BLITZ_EVIDENCE = on ? '1' : '0';
  process.env.BLITZ_EVIDENCE_KEY = join(dir, 'key.pem');
  const admin = postgres(base!, { max: 1, onnotice: () => {} });
  const pm = postmasterPid(new URL(base!).port);
  const b = await startBlitz('postgres', { pgUrl: schema.url });
  const pid = b.server.child.pid!;
  const s = schema.url.match(/search_path=([^&]+)/)![1]!;
  const sample = async (): Promise<Sample> => {
    const [seq] = await admin.unsafe<{ behind: string; chained: string }[]>(
      `SELECT a.last_seq - COALESCE(h.event_seq, 0) AS behind, COALESCE(h.event_seq, 0) AS chained
         FROM ${s}.account_seq a LEFT JOIN ${s}.evidence_chain_heads h ON h.account_id = a.account_id`,
    );
    const apps = new Map(
      (await admin<{ pid: number; app: string }[]>`SELECT pid, application_name AS app FROM pg_stat_activity`).map(
        (r) => [r.pid, r.app],
      ),
    );
    let pgChainer = 0;
    let pgOther = 0;
    for (const c of childrenOf(pm)) {
      const st = cpuOf(`/proc/${c}/stat`);
      if (!st) continue;
      if (apps.get(c) === 'blitz-evidence-chainer') pgChainer += st.cpu;
      else pgOther += st.cpu;
    }
    let collectorMain = 0;
    let collectorChainer = 0;
    let collectorOther = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const st = cpuOf(`/proc/${pid}/task/${t}/stat`);
      if (!st) continue;
      if (Number(t) === pid) collectorMain += st.cpu;
      else if (st.nice > 0) collectorChainer += st.cpu;
      else collectorOther += st.cpu;
    }
    return {
      t: performance.now(),
      behind: Number(seq?.behind ?? 0),
      chained: Number(seq?.chained ?? 0),
      collectorMain,
      collectorChainer,
      collectorOther,
      pgChainer,
      pgOther,
    };
  };
  try {
    const opts = { connections: 64, threads: 2, durationS };
    for (let i = 0; i < 600 && on && (await sample()).behind > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const s0 = await sample();
    await wrk(b.server.url, b.pixelPaths, { ...opts, durationS: 1 });
    const s1 = await sample();
    const r = await wrk(b.server.url, b.pixelPaths, opts);
    const s2 = await sample();
    let s3 = s2;
    for (let i = 0; i < 1200 && on && s3.behind > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      s3 = await sample();
    }
    const d = (a: Sample, z: Sample): Record<string, number> => ({
      seconds: +((z.t - a.t) / 1000).toFixed(2),
      chainedEvents: z.chained - a.chained,
      behindAtEnd: z.behind,
      collectorMainCpu: +(z.collectorMain - a.collectorMain).toFixed(2),
      collectorChainerCpu: +(z.collectorChainer - a.collectorChainer).toFixed(2),
      collectorOtherThreadsCpu: +(z.collectorOther - a.collectorOther).toFixed(2),
      pgChainerCpu: +(z.pgChainer - a.pgChainer).toFixed(2),
      pgOtherCpu: +(z.pgOther - a.pgOther).toFixed(2),
    });
    return {
      chain: on ? 'on' : 'off',
      rps: Math.round(r.rps),
      p99ms: r.p99ms,
      warmup: d(s0, s1),
      load: d(s1, s2),
      catchUp: d(s2, s3),
      loadavg: readFileSync('/proc/loadavg', 'utf8').trim(),
    };
  } finally {
    await b.stop();
    await admin.end({ timeout: 2 });
    await schema.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// "both", "on", "off", or a list of duties to run with the chain on ("0.1,0.03,0.1,0.03")
const modes: (number | null | false)[] =
  mode === 'both' ? [false, null, null, false] : mode === 'on' ? [null] : mode === 'off' ? [false] : mode.split(',').map(Number);
for (const m of modes) {
  if (typeof m === 'number') process.env.BLITZ_EVIDENCE_DUTY = String(m);
  else delete process.env.BLITZ_EVIDENCE_DUTY;
  const r = await run(m !== false);
  const l = r.load as Record<string, number>;
  const chain = l.collectorChainerCpu! + l.pgChainerCpu!;
  const all = chain + l.collectorMainCpu! + l.collectorOtherThreadsCpu! + l.pgOtherCpu!;
  console.log(JSON.stringify({ duty: m, chainShareOfLoadCpu: +(chain / all).toFixed(3), ...r }));
}
