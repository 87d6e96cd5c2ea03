import pino from 'pino';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { Classification, Classifier, HitContext } from '../../src-collector/classify/types';
import { HitWriter } from '../../src-collector/hits/writer';
import { signalsFromRequest } from '../../src-collector/hits/signals';
import type { NewHit, ResolvedToken, Store } from '../../src-collector/store/types';
import {
  createScratchSchema,
  PG_SKIP_REASON,
  skipWithoutPg,
  newHit,
  openPgStore,
  seedMessage,
} from './pg-support';

const skip = skipWithoutPg();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const open = (url: string): Promise<Store> => openPgStore(url, cleanup);

/** store `a` with its reads of a message's hits counted */
function counted(a: Store): { store: Store; reads: () => number } {
  let n = 0;
  const store = new Proxy(a, {
    get(target, prop) {
      if (prop === 'listHitsForMessage') {
        return (...args: Parameters<Store['listHitsForMessage']>) => {
          n++;
          return target.listHitsForMessage(...args);
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store, reads: () => n };
}

async function setup() {
  const s = await createScratchSchema();
  cleanup.push(() => s.drop());
  const a = await open(s.url);
  const b = await open(s.url);
  const { account, user, token } = await seedMessage(
    a,
    'Kontext GmbH',
    new Date(Date.now() - 3_600_000).toISOString(),
  );
  const resolved = (await a.resolveToken(token)) as ResolvedToken;
  const sql = postgres(s.url, { max: 1, onnotice: () => {} });
  cleanup.push(() => sql.end({ timeout: 2 }));
  return { a, b, account, user, resolved, sql };
}

const pending = (resolved: ResolvedToken, n: number) => ({
  resolved,
  type: 'email.opened' as const,
  detail: {},
  // each hit from its own network, a minute apart in the classifier's eyes is not needed: it is a spy
  signals: signalsFromRequest('open', 'GET', `203.0.113.${n}`, { 'user-agent': 'Thunderbird/128' }),
});

function storedHit(resolved: ResolvedToken): NewHit {
  return newHit(resolved.accountId, resolved.messageId, resolved.token, 'B');
}

describe.skipIf(skip)(`hit writer on PostgreSQL${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it("keeps a message's context in memory and reads it again after another instance's commit or a correction", async () => {
    const { a, b, account, user, resolved } = await setup();
    const seen: HitContext['previous'][] = [];
    const classify: Classifier = (_hit, ctx): Classification => {
      seen.push(ctx.previous.map((p) => ({ ...p })));
      return { verdict: 'human', reasons: ['ua.mail_client'] };
    };
    const { store, reads } = counted(a);
    const writer = new HitWriter(store, classify, pino({ level: 'silent' }));

    expect(await writer.submit(pending(resolved, 1))).toBe(true);
    expect(await writer.submit(pending(resolved, 2))).toBe(true);
    // the second hit saw the first without reading it back
    expect(seen.map((p) => p.length)).toEqual([0, 1]);
    expect(reads()).toBe(1);

    // another instance stores a hit of the same message; instance a hears of it over LISTEN
    const heard = new Promise<string | null>((resolve) =>
      a.onEventsChanged((c) => resolve(c.kind === 'account' ? c.accountId : null)),
    );
    const foreign = storedHit(resolved);
    await b.recordHits([foreign]);
    expect(await heard).toBe(account.id);
    expect(await writer.submit(pending(resolved, 3))).toBe(true);
    expect(seen[2]?.map((p) => p.signals.userAgent)).toEqual(['Thunderbird/128', 'Thunderbird/128', 'B']);
    expect(reads()).toBe(2);

    // an agent's correction on this instance: the next hit's context carries it
    const viewer = { id: user.id, accountId: account.id, role: 'admin' as const };
    expect(await a.updateVerdict(viewer, foreign.id, 'scanner')).not.toBeNull();
    expect(await writer.submit(pending(resolved, 4))).toBe(true);
    const last = seen[3]!;
    expect(last).toHaveLength(4);
    expect(last.find((p) => p.signals.userAgent === 'B')?.verdict).toBe('scanner');
    expect(reads()).toBe(3);
    // and without news, memory again
    expect(await writer.submit(pending(resolved, 5))).toBe(true);
    expect(reads()).toBe(3);
  });

  it('a revision of a hit whose batch is still committing lands once that batch has committed', async () => {
    const { a, resolved, sql } = await setup();
    let calls = 0;
    // the second hit shows the first to be a machine
    const classify: Classifier = (_hit, ctx): Classification => {
      calls++;
      if (calls === 2 && ctx.previous.length > 0) {
        return {
          verdict: 'scanner',
          reasons: ['test.burst'],
          revise: [{ index: ctx.previous.length - 1, verdict: 'scanner', reasons: ['test.revised'] }],
        };
      }
      return { verdict: 'human', reasons: ['ua.mail_client'] };
    };
    for (let round = 0; round < 5; round++) {
      calls = 0;
      // one hit per batch, two in flight: the second batch is classified while the first commits
      const writer = new HitWriter(a, classify, pino({ level: 'silent' }), { maxBatch: 1, maxInFlight: 2 });
      const done = await Promise.all([
        writer.submit(pending(resolved, 10 + round)),
        writer.submit(pending(resolved, 20 + round)),
      ]);
      expect(done).toEqual([true, true]);
    }
    const rows = await sql<{ verdict: string; reasons: string }[]>`
      SELECT verdict, reasons FROM events ORDER BY seq`;
    // every round: the first hit revised to scanner, the second stored as scanner
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.verdict)).toEqual(Array<string>(10).fill('scanner'));
    expect(rows.filter((r) => r.reasons.includes('test.revised'))).toHaveLength(5);
  });
  it('calls made while one commits go together, in call order; a bad batch fails alone', async () => {
    const { a, resolved, sql } = await setup();
    const h = () => storedHit(resolved);
    const [h1, h2, h3, h4, h5] = [h(), h(), h(), h(), h()];
    const bad = { ...h(), messageId: 'no-such-message' };
    const calls = [
      a.recordHits([h1!]),
      a.recordHits([h2!, h3!]),
      a.recordHits([bad]),
      a.recordHits([h4!]),
      a.recordHits([h5!], [{ eventId: h1!.id, verdict: 'scanner', reasons: ['test.revised'] }]),
    ];
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const refs = results.map((r) => (r.status === 'fulfilled' ? r.value : []));
    const s0 = refs[0]![0]!.seq;
    expect(refs.map((r) => r.map((x) => x.seq - s0))).toEqual([[0], [1, 2], [], [3], [4]]);
    expect(refs[1]!.map((x) => x.id)).toEqual([h2!.id, h3!.id]);
    // the revision came after everything before it: h1 moved to the next seq with its new verdict
    const rows = await sql<
      { id: string; seq: string; verdict: string }[]
    >`SELECT id, seq, verdict FROM events ORDER BY seq`;
    expect(rows.map((r) => [r.id, Number(r.seq) - s0, r.verdict])).toEqual([
      [h2!.id, 1, 'human'],
      [h3!.id, 2, 'human'],
      [h4!.id, 3, 'human'],
      [h5!.id, 4, 'human'],
      [h1!.id, 5, 'scanner'],
    ]);
  });
});
