import type { Logger } from 'pino';
import type { SignedHeadBody } from '../../src-shared/evidence/format';
import { canonicalJson } from '../../src-shared/evidence/canonical';
import type { EvidenceChainStore, NewChainEntry, StoredSignedHead } from '../store/evidence/types';
import type { Store, Viewer } from '../store/types';
import type { EvidenceKey } from './key';
import { CONSENT_BATCH, pendingConsentEntries } from './consent-chain';
import { confirmationRecord, eventRecord, messageRecords, offerRecord } from './records';
import { requestTimestamp } from './tsa';

/** the pacing's bound on how long the chain stays behind while hits arrive */
export const DEFAULT_MAX_LAG_MS = 30_000;

/**
 * What the collector asks of its chainer, on this thread (EvidenceChainer) or on a thread of its
 * own (chainer-thread.ts, the default for a served collector).
 */
export interface Chainer {
  start(): void;
  kick(accountId: string): void;
  catchUp(accountId: string): Promise<number>;
  sign(accountId: string): Promise<StoredSignedHead | null>;
  flush(accountId: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ChainerOptions {
  /** the collector's store: events, offers and confirmations are read through it, the chain is its aggregate */
  store: Store;
  key: EvidenceKey;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** a signed head at least this often while records arrive (default 30 s; the issue asks ≤ 60 s) */
  signEveryMs?: number;
  /** every account is looked at this often, for writes this process did not hear of (5 s) */
  sweepEveryMs?: number;
  /** events per append transaction (2000) */
  batch?: number;
  /** how long writes are gathered before one append (1 s): fewer, larger transactions, and the hit writer rarely waits for the chain's lock */
  debounceMs?: number;
  /** RFC 3161 timestamp authority for signed heads (BLITZ_TSA_URL) */
  tsaUrl?: string;
  /**
   * Background catching up yields to the hit path: while `busy()` (hits arriving), each append
   * round of t ms is followed by a pause that keeps the chainer's share of the time at `duty`.
   * An export's flush is never paced.
   */
  pace?: ChainerPace;
}

/** how the background chainer yields to hits (EvidenceChainer's pace option) */
export interface ChainerPace {
  /** hits are arriving */
  busy(): boolean;
  /** share of the time the chainer takes while busy */
  duty: number;
  /**
   * the chain stays at most about this far behind (ms): once it has been behind longer, it
   * appends without pausing until it has caught up (default 30 s)
   */
  maxLagMs?: number;
}

/**
 * The pause after an append round of `roundMs` while paced: none when no hits arrive or the
 * chain has been behind for longer than `maxLagMs` (the lag stays bounded under a long burst),
 * else enough to keep the chainer's share of the time at `duty` (at most 2 s).
 */
export function pauseAfterRound(o: {
  roundMs: number;
  busy: boolean;
  duty: number;
  behindForMs: number;
  maxLagMs: number;
}): number {
  if (!o.busy || o.behindForMs > o.maxLagMs || o.duty >= 1) return 0;
  return Math.min(2000, (o.roundMs * (1 - o.duty)) / Math.max(o.duty, 0.001));
}

/**
 * Appends every event, message registration, offer and legal confirmation of an account to the
 * account's chain, in order, AFTER they were committed: it reads the account's sequence through
 * the Store contract (an admin's pull) from the chain's cursor, so the hit write path is not
 * touched and a crash at any point leaves the chain as the last committed append left it. Each
 * append is one transaction under the account's chain lock (EvidenceChainStore.append); the
 * cursor moves in it, so nothing is chained twice or skipped, with any number of instances.
 */
export class EvidenceChainer implements Chainer {
  private readonly dirty = new Set<string>();
  private running: Promise<void> | null = null;
  private signing: Promise<void> | null = null;
  private scheduled: NodeJS.Timeout | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private readonly batch: number;

  private readonly chain: EvidenceChainStore;

  constructor(private readonly o: ChainerOptions) {
    this.batch = o.batch ?? 2000;
    this.chain = o.store.evidenceChain;
  }

  start(): void {
    // this store's commits, and what another instance wrote (PostgreSQL) or anything after a lost LISTEN
    this.unsubscribe.push(this.o.store.onCommitted((acc) => this.kick(acc)));
    this.unsubscribe.push(
      this.o.store.onEventsChanged((c) => {
        if (c.kind === 'account') this.kick(c.accountId);
        else if (c.kind === 'all') this.sweep();
        // 'event': a classification changed here; the new seq it took reaches onCommitted
      }),
    );
    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.o.sweepEveryMs ?? 5_000, () => this.sweep());
    every(this.o.signEveryMs ?? 30_000, () => {
      if (!this.signing) this.signing = this.signAll().finally(() => (this.signing = null));
    });
    this.sweep();
  }

  /** an account has new writes: chain them soon (coalesced) */
  kick(accountId: string): void {
    if (this.stopped) return;
    this.dirty.add(accountId);
    if (this.scheduled || this.running) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      this.running = this.drainDirty().finally(() => {
        this.running = null;
        if (this.dirty.size > 0) this.kick([...this.dirty][0]!);
      });
    }, this.o.debounceMs ?? 1000);
    this.scheduled.unref?.();
  }

  private sweep(): void {
    this.o.store.listAccountIds().then(
      (accounts) => accounts.forEach((a) => this.kick(a)),
      (e: unknown) => this.o.log.warn({ err: e }, 'evidence chain: listing accounts failed'),
    );
  }

  private async drainDirty(): Promise<void> {
    while (this.dirty.size > 0 && !this.stopped) {
      const acc = [...this.dirty][0]!;
      this.dirty.delete(acc);
      try {
        await this.catchUp(acc, true);
      } catch (e) {
        this.o.log.error({ err: e, accountId: acc }, 'evidence chain: append failed, retried on the next sweep');
      }
    }
  }

  /** Chains everything of the account committed so far. Returns how many records were added. */
  async catchUp(accountId: string, paced = false): Promise<number> {
    const viewer: Viewer = { id: 'evidence-chainer', accountId, role: 'admin' };
    let added = 0;
    for (let round = 0; round < 10_000 && !this.stopped; round++) {
      if (paced && round > 0) await this.yieldToHits();
      else if (round === 0) this.behindSince ??= Date.now();
      const started = performance.now();
      this.lastRoundMs = 0;
      const head = await this.chain.head(accountId);
      const page = await this.o.store.pullEvents(viewer, head.eventSeq, this.batch);
      // read after the head: when another instance chains them meanwhile, the append finds the head moved
      const [chainedOffers, chainedLegal] = await Promise.all([
        this.chain.chainedIds(accountId, 'offer'),
        this.chain.chainedIds(accountId, 'legal_confirmation'),
      ]);
      const offers = await this.o.store.offersForChain(accountId, chainedOffers, 100);
      const confirmations = await this.o.store.confirmationsForChain(accountId, chainedLegal, 500);
      const consents = await pendingConsentEntries(this.chain, this.o.store, accountId); // issue 17
      const entries: NewChainEntry[] = [];
      // the page's events and registrations merge back into seq order
      const seqd: { seq: number; entries: NewChainEntry[] }[] = [
        ...page.events.map((e) => ({ seq: e.seq, entries: [eventRecord(accountId, e)] })),
        ...page.messages.map((m) => ({ seq: m.seq, entries: messageRecords(accountId, m) })),
      ].sort((a, b) => a.seq - b.seq);
      for (const s of seqd) entries.push(...s.entries);
      for (const o of offers) entries.push(offerRecord(accountId, o));
      for (const c of confirmations) entries.push(confirmationRecord(accountId, c));
      entries.push(...consents);
      if (entries.length === 0 && page.next <= head.eventSeq) return this.caughtUp(added);
      const r = await this.chain.append(accountId, head.position, entries, page.next);
      this.lastRoundMs = performance.now() - started;
      if (r === 'moved') continue; // another instance appended first: read its head, go on from there
      added += entries.length;
      const full = page.events.length + page.messages.length >= this.batch;
      if (!full && offers.length < 100 && confirmations.length < 500 && consents.length < CONSENT_BATCH)
        return this.caughtUp(added);
    }
    return added;
  }

  /** when the chain last started to be behind (null: caught up); bounds the pacing's lag */
  private behindSince: number | null = null;
  private caughtUp(added: number): number {
    this.behindSince = null;
    return added;
  }

  private lastRoundMs = 0;
  /** while hits arrive, a pause after each round keeps the chain's share of the time at pace.duty */
  private async yieldToHits(): Promise<void> {
    const pace = this.o.pace;
    if (!pace) return;
    const ms = pauseAfterRound({
      roundMs: this.lastRoundMs,
      busy: pace.busy(),
      duty: pace.duty,
      behindForMs: this.behindSince === null ? 0 : Date.now() - this.behindSince,
      maxLagMs: pace.maxLagMs ?? DEFAULT_MAX_LAG_MS,
    });
    if (ms > 1) await new Promise((r) => setTimeout(r, ms));
  }

  /** Signs the account's head when it moved since the last signature; null when nothing new. */
  async sign(accountId: string): Promise<StoredSignedHead | null> {
    const { key } = this.o;
    let body: SignedHeadBody | null = null;
    const signed = await this.chain.signHead(accountId, (h) => {
      body = {
        v: 1,
        account: accountId,
        position: h.position,
        link: h.link,
        signedAt: new Date().toISOString(),
        keyFingerprint: key.fingerprint,
      };
      return { head: canonicalJson(body), signature: key.signCanonical(body), signedAt: body.signedAt };
    });
    if (signed && body && this.o.tsaUrl) {
      const stamped = await requestTimestamp(this.o.tsaUrl, body);
      if (stamped.ok) {
        await this.chain.addTimestamp(accountId, signed.position, this.o.tsaUrl, stamped.response, new Date().toISOString());
        signed.timestamp = { tsa: this.o.tsaUrl, response: stamped.response };
      } else {
        this.o.log.warn({ accountId, position: signed.position, error: stamped.error }, 'evidence chain: no timestamp');
      }
    }
    return signed;
  }

  private async signAll(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const acc of await this.o.store.listAccountIds()) {
        const [head, last] = await Promise.all([this.chain.head(acc), this.chain.lastSignedHead(acc)]);
        if (head.position > (last?.position ?? 0)) await this.sign(acc);
      }
    } catch (e) {
      this.o.log.error({ err: e }, 'evidence chain: signing failed, retried next round');
    }
  }

  /** Everything committed so far chained and signed: what an export needs. */
  async flush(accountId: string): Promise<void> {
    await this.catchUp(accountId);
    await this.sign(accountId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.scheduled) clearTimeout(this.scheduled);
    for (const t of this.timers) clearInterval(t);
    for (const u of this.unsubscribe) u();
    await this.running;
    await this.signing;
  }
}
