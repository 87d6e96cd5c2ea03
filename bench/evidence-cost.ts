import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import pino from 'pino';
import { createAccount, createUser } from '../src-collector/accounts';
import { EvidenceChainer } from '../src-collector/evidence/chainer';
import { loadOrCreateEvidenceKey } from '../src-collector/evidence/key';
import { openPostgresStore } from '../src-collector/store/postgres/index';
import type { NewHit } from '../src-collector/store/types';
import { benchSchema } from './scenarios/pg-cluster';

/**
 * Issue 16, where an append's cost goes on PostgreSQL, counted rather than timed: CPU seconds of
 * the chainer's own backend (from /proc, so it needs the database on this machine and the right
 * to read its processes), CPU of this process, statements sent, WAL bytes written (the server's
 * LSN: other writers on the same server count too, run it on a quiet one), per chained event.
 * The same counters for the hit writer's insert of the same events give the yardstick.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/evidence-cost.ts [EVENTS]
 */
const EVENTS = Number(process.argv[2]) || 20_000;
const base = process.env.BLITZ_BENCH_DATABASE_URL || process.env.DATABASE_URL || process.env.BLITZ_TEST_DATABASE_URL;
if (!base) throw new Error('DATABASE_URL needed');

const clk = 100; // USER_HZ
function backendCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / clk;
}

/** a V8 CPU profile of what runs until the returned function is called (PROBE_PROFILE=FILE) */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function main(): Promise<void> {
  const schema = await benchSchema(base!);
  const url = (app: string): string => {
    const u = new URL(schema.url);
    u.searchParams.set('application_name', app);
    return u.toString();
  };
  const admin = postgres(base!, { max: 1, onnotice: () => {} });
  const writer = await openPostgresStore({ url: url('h16-writer'), max: 1, listen: false });
  const chainStore = await openPostgresStore({ url: url('h16-chainer'), max: 1, listen: false });
  try {
    // a variant of the schema to compare (dropped or replaced indexes)
    if (process.env.PROBE_SQL) await admin.unsafe(`SET search_path = ${new URL(schema.url).searchParams.get('search_path')}; ${process.env.PROBE_SQL}; RESET search_path`);
    const account = await createAccount(writer, 'Cost');
    const { user } = await createUser(writer, { accountId: account.id, email: 'a@b.example', name: 'A', role: 'admin' });
    const recipients = Array.from({ length: 500 }, (_, i) => ({ email: `r${i}@bench.example`, name: null }));
    const { message } = await writer.registerMessage({
      accountId: account.id,
      userId: user.id,
      clientId: 'cost',
      subject: 'Exposé',
      sentIndividually: true,
      recipients: recipients.map((r) => ({ email: r.email })),
      links: ['https://bench.example/'],
      trackers: recipients.map((r, i) => ({ token: `tok${i}x${randomUUID()}`, recipientEmail: r.email, recipientName: null })),
      createdAt: new Date().toISOString(),
    });
    const pidOf = async (app: string): Promise<number> => {
      const [r] = await admin<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE application_name = ${app}`;
      if (!r) throw new Error(`no backend ${app}`);
      return r.pid;
    };
    const lsn = async (): Promise<bigint> => {
      const [r] = await admin<{ b: string }[]>`SELECT pg_current_wal_lsn() - '0/0'::pg_lsn AS b`;
      return BigInt(r!.b);
    };

    const key = loadOrCreateEvidenceKey(`/tmp/h16-cost-key-${process.pid}.pem`);
    const chainer = new EvidenceChainer({
      store: chainStore,
      key,
      log: pino({ level: 'warn' }),
      batch: Number(process.env.BLITZ_EVIDENCE_BATCH) || 250,
    });
    // the registration first, so the measured rounds are events only
    await chainer.catchUp(account.id).catch(() => 0);
    const statements = async (reset: boolean): Promise<unknown[]> => {
      try {
        const rows = await admin<{ query: string; calls: string; rows: string; exec_ms: number; plan_ms: number; wal_bytes: string }[]>`
          SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query, calls, rows,
                 round(total_exec_time::numeric, 1)::float AS exec_ms, round(total_plan_time::numeric, 1)::float AS plan_ms, wal_bytes
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           ORDER BY total_exec_time + total_plan_time DESC LIMIT 14`;
        if (reset) await admin`SELECT pg_stat_statements_reset()`;
        return rows;
      } catch {
        return [];
      }
    };
    await statements(true);
    // the hit writer's cost for the same events (batches of 250, as a busy collector commits them)
    const wpid = await pidOf('h16-writer');
    const w0 = { cpu: backendCpuS(wpid), wal: await lsn(), t: performance.now(), js: process.cpuUsage() };
    for (let n = 0; n < EVENTS; n += 250) {
      const batch: NewHit[] = [];
      for (let i = n; i < Math.min(n + 250, EVENTS); i++) {
        const at = new Date().toISOString();
        const r = recipients[i % recipients.length]!;
        batch.push({
          id: randomUUID(),
          accountId: account.id,
          messageId: message.id,
          offerId: null,
          token: message.trackers[i % recipients.length]!.token,
          type: 'email.opened',
          recipientEmail: r.email,
          occurredAt: at,
          detail: {},
          classification: { verdict: 'human', reasons: ['bench'], ipOwner: null },
          uaFamily: 'Chrome',
          os: 'Windows',
          signals: { kind: 'open', method: 'GET', at, ipPrefix: '203.0.113.0/24', userAgent: 'Mozilla/5.0 bench', headers: {}, senderPrefixes: [] },
        });
      }
      await writer.recordHits(batch);
    }
    const wjs = process.cpuUsage(w0.js);
    const w1 = { cpu: backendCpuS(wpid), wal: await lsn(), t: performance.now() };
    const writerStatements = await statements(true);

    const cpid = await pidOf('h16-chainer');
    const c0 = { cpu: backendCpuS(cpid), wal: await lsn(), t: performance.now(), js: process.cpuUsage() };
    const [x0] = await admin<{ n: string }[]>`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`;
    const profiling = process.env.PROBE_PROFILE ? await startProfile() : null;
    const added = await chainer.catchUp(account.id);
    if (profiling) await profiling(process.env.PROBE_PROFILE!);
    const cjs = process.cpuUsage(c0.js);
    const c1 = { cpu: backendCpuS(cpid), wal: await lsn(), t: performance.now() };
    const chainerStatements = await statements(false);
    const [x1] = await admin<{ n: string }[]>`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`;
    await chainer.stop();
    const per = (v: number, n: number): string => `${((v / n) * 1e6).toFixed(1)} µs`;
    const out = {
      events: EVENTS,
      chained: added,
      writer: {
        wallMs: Math.round(w1.t - w0.t),
        backendCpuPerEvent: per(w1.cpu - w0.cpu, EVENTS),
        nodeCpuPerEvent: per((wjs.user + wjs.system) / 1e6, EVENTS),
        walBytesPerEvent: Number(w1.wal - w0.wal) / EVENTS,
        statements: writerStatements,
      },
      chainer: {
        wallMs: Math.round(c1.t - c0.t),
        backendCpuPerEvent: per(c1.cpu - c0.cpu, added),
        nodeCpuPerEvent: per((cjs.user + cjs.system) / 1e6, added),
        walBytesPerEvent: Number(c1.wal - c0.wal) / added,
        transactionsInDatabase: Number(x1!.n) - Number(x0!.n),
        statements: chainerStatements,
      },
      load: readFileSync('/proc/loadavg', 'utf8').trim(),
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await chainStore.close();
    await writer.close();
    await admin.end({ timeout: 2 });
    if (!process.env.KEEP) await schema.drop(); else console.log(schema.url);
  }
}

await main();
