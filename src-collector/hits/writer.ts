import type { Logger } from 'pino';
import type { EventDetail, EventType } from '../../src-shared/events';
import type { ClassifiedHit, Classifier, HitSignals } from '../classify/types';
import type { EventsChange, HitChange, NewHit, ResolvedToken, Revision, Store } from '../store/types';
import { ipPrefix } from '../util/ip';
import { Lru } from '../util/lru';
import { describeUa } from '../util/ua';
import { observeCommit } from '../ops/metrics'; // issue 20: metrics
import { classifyHit } from './classify-hit';
import { newEventId } from './event-id';
import { contextSignals, fromStoredSignals, senderPrefixes, storedSignals } from './signals';
import { isMailboxHit } from '../store/mailbox-rows';

export interface PendingHit {
  resolved: ResolvedToken;
  /** a landing page's hit: its offer */
  offerId?: string;
  type: EventType;
  detail: EventDetail;
  signals: HitSignals;
}

interface Waiting {
  hit: PendingHit;
  done: (stored: boolean) => void;
}

export interface HitWriterOptions {
  /** most hits classified and handed to the store at once */
  maxBatch?: number;
  /** messages whose recent hits are kept in memory as the classifier's context */
  windows?: number;
  /**
   * batches handed to the store and not yet committed (default 8): the store joins those that
   * wait into its next transaction
   */
  maxInFlight?: number;
}

/** How many earlier hits of a message the classifier sees. */
const PREVIOUS_LIMIT = 20;
/** accounts with a mark of their own; beyond, one mark covers all */
const MARKED_MAX = 100_000;
/** Sender IPs older than this do not count as "recent". */
const SENDER_IP_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * One message's most recent hits, oldest first, as the classifier's context. They hold what is
 * stored of each hit (the IP as its prefix), so a window rebuilt from the store after a restart
 * gives the classifier exactly what the in-memory one gave.
 */
interface Window {
  hits: ClassifiedHit[];
  ids: string[];
  /** events an agent corrected: the classifier's revisions leave them alone */
  corrected: Set<string>;
  /** hits of this window in batches not yet committed */
  pending: number;
  /** a failed commit left hits here that were never stored: rebuilt once nothing is pending */
  stale: boolean;
  accountId: string;
  /** the writer's clock when the read began (see HitWriter.external) */
  loadedAt: number;
}

interface Prepared {
  rows: NewHit[];
  revisions: Revision[];
}

/**
 * Group commit: hits queue in memory; each batch is classified and handed to the store, which
 * commits it in one transaction; every waiting request is answered after that commit.
 *
 * The classifier's context comes from memory, and the next batch is classified and handed over
 * while the previous one is still being committed: the store commits them in order (SQLite's
 * writer thread joins whatever has arrived into one transaction, PostgreSQL into one statement),
 * so batches grow with the load instead of every request waiting for a full commit cycle before
 * its batch even starts. The store says when events changed other than through this writer
 * (onEventsChanged): SQLite, the sole writer of its events, names the changed event and the
 * window is patched; PostgreSQL names an account, and a message's window is read again after
 * another instance committed in its account (heard over LISTEN) or a verdict there was
 * corrected. A hit another instance has in flight, or committed less than a notification's
 * delay ago, is not in the context yet; a burst split over instances is judged without its other
 * half until a later hit of the same message sees all of it (docs/collector.md). Reading the
 * window per batch instead cost a round trip and 20 parsed rows per batch: 10.9–11.3k hits/s
 * against 12.6–14.3k with the memory (one batch in flight, before the store joined them).
 */
export class HitWriter {
  private queue: Waiting[] = [];
  private scheduled = false;
  private preparing = false;
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private readonly windows = new Map<string, Window>();
  /**
   * Writes by others (onEventsChanged, `account` or `all`): each call ticks the clock and marks its account (or,
   * for null, everything) with it. A window read before its account's mark no longer holds all
   * that is stored and is read again, even with hits of its own in flight (those are not stored
   * yet and were never in what a read returns, as on a store without a cache).
   */
  private clock = 0;
  private allMarked = 0;
  private readonly marked = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly maxWindows: number;
  private readonly maxInFlight: number;
  /** issue 21: account → shares its office network with prospects (a settings change shows within 5 s) */
  private readonly sharedNetwork = new Lru<string, boolean>(10_000, 5_000);

  constructor(
    private readonly store: Store,
    private readonly classify: Classifier,
    private readonly log: Logger,
    opts: HitWriterOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 1000;
    this.maxWindows = opts.windows ?? 20_000;
    this.maxInFlight = opts.maxInFlight ?? 8;
    store.onEventsChanged((c: EventsChange) => {
      if (c.kind === 'event') this.changed(c.change);
      else this.external(c.kind === 'account' ? c.accountId : null);
    });
  }

  /** resolves true once the hit is committed, false when it could not be stored */
  submit(hit: PendingHit): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ hit, done });
      this.schedule();
    });
  }

  /** hits waiting for a batch (issue 20: /readyz and the queue-depth metric) */
  get depth(): number {
    return this.queue.length;
  }

  /** resolves when nothing is queued or being written */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private isIdle(): boolean {
    return !this.preparing && this.inFlight === 0 && this.queue.length === 0;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate: every request parsed in this turn of the event loop joins the batch
    setImmediate(this.onImmediate);
  }

  private readonly onImmediate = (): void => {
    this.scheduled = false;
    this.pump();
  };

  /** Starts the next batch when none is being classified and the store may take another. */
  private pump(): void {
    if (this.preparing || this.queue.length === 0 || this.inFlight >= this.maxInFlight) {
      if (this.isIdle()) this.wakeIdle();
      return;
    }
    const batch = this.queue.splice(0, this.maxBatch);
    this.preparing = true;
    this.inFlight++;
    void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    const touched = new Map<Window, number>();
    let commit: Promise<unknown> | null = null;
    let rows: readonly NewHit[] = []; // issue 20: metrics
    let started = 0; // issue 20: metrics
    try {
      const prepared = await this.prepare(batch, touched);
      // called synchronously after prepare: batches reach the store in the order they were
      // classified, and the store commits them in that order (a revision may target a hit of the
      // batch before, still committing)
      [rows, started] = [prepared.rows, performance.now()]; // issue 20: metrics
      commit = this.store.recordHits(prepared.rows, prepared.revisions);
    } catch (e) {
      this.log.error({ err: e, hits: batch.length }, 'hits could not be classified');
    }
    this.preparing = false;
    // the next batch is classified while this one commits
    this.pump();
    let ok = false;
    if (commit) {
      try {
        await commit;
        ok = true;
      } catch (e) {
        this.log.error({ err: e, hits: batch.length }, 'hits could not be stored');
      }
    }
    observeCommit(this, rows, batch.length, started, ok); // issue 20: metrics
    this.settle(touched, ok);
    this.inFlight--;
    for (const w of batch) w.done(ok);
    this.pump();
  }

  private wakeIdle(): void {
    const idle = this.idle;
    this.idle = [];
    for (const r of idle) r();
  }

  /** A batch has committed (or failed): its windows no longer wait for it. */
  private settle(touched: Map<Window, number>, ok: boolean): void {
    for (const [w, n] of touched) {
      w.pending -= n;
      if (!ok) w.stale = true;
    }
    if (!ok) {
      for (const [id, w] of this.windows) if (w.stale && w.pending === 0) this.windows.delete(id);
    }
  }

  private changed(c: HitChange): void {
    const w = this.windows.get(c.messageId);
    if (!w) return;
    if (c.corrected) w.corrected.add(c.eventId);
    else w.corrected.delete(c.eventId);
    const at = w.ids.lastIndexOf(c.eventId);
    const target = w.hits[at];
    if (at < 0 || !target) return;
    target.verdict = c.verdict;
    target.reasons = c.reasons;
  }

  private external(accountId: string | null): void {
    this.clock++;
    if (accountId === null) {
      this.allMarked = this.clock;
      this.marked.clear();
      return;
    }
    if (this.marked.size >= MARKED_MAX) {
      this.allMarked = this.clock;
      this.marked.clear();
    }
    this.marked.set(accountId, this.clock);
  }

  /** false once others wrote to the window's account after its read began */
  private current(w: Window): boolean {
    return w.loadedAt >= this.allMarked && w.loadedAt >= (this.marked.get(w.accountId) ?? 0);
  }

  private async loadWindow(messageId: string, accountId: string): Promise<Window> {
    const loadedAt = this.clock;
    // issue 19: mailbox signals share the events table but are no requests to classify against
    const stored = (await this.store.listHitsForMessage(messageId, PREVIOUS_LIMIT)).filter(
      (h) => !isMailboxHit(h),
    );
    const w: Window = {
      hits: [],
      ids: [],
      corrected: new Set(),
      pending: 0,
      stale: false,
      accountId,
      loadedAt,
    };
    for (const s of stored) {
      w.hits.push({
        signals: fromStoredSignals(s.signals).signals,
        verdict: s.classification.verdict,
        reasons: s.classification.reasons,
      });
      w.ids.push(s.id);
      if (s.correctedFrom !== null) w.corrected.add(s.id);
    }
    return w;
  }

  /**
   * The windows of the batch's messages: from memory, else (and always without a cache) read.
   * The reads go out together: one after the other, a PostgreSQL batch spanning hundreds of
   * messages spent its time in their round trips.
   */
  private async windowsFor(batch: readonly Waiting[]): Promise<Map<string, Window>> {
    const found = new Map<string, Window | Promise<Window>>();
    for (const { hit } of batch) {
      const id = hit.resolved.messageId;
      if (found.has(id)) continue;
      let w = this.windows.get(id);
      if (w && ((w.stale && w.pending === 0) || !this.current(w))) w = undefined;
      if (w) {
        // most recently used last: Map order is the LRU order
        this.windows.delete(id);
        found.set(id, w);
      } else {
        found.set(id, this.loadWindow(id, hit.resolved.accountId));
      }
    }
    const ids = [...found.keys()];
    const loaded = await Promise.all(found.values());
    const out = new Map<string, Window>();
    for (const [i, id] of ids.entries()) {
      const w = loaded[i]!;
      this.windows.set(id, w);
      out.set(id, w);
    }
    if (this.windows.size > this.maxWindows) this.evict();
    return out;
  }

  private evict(): void {
    let over = this.windows.size - this.maxWindows;
    for (const [id, w] of this.windows) {
      if (over <= 0) break;
      if (w.pending > 0) continue;
      this.windows.delete(id);
      over--;
    }
  }

  private async prepare(batch: readonly Waiting[], touched: Map<Window, number>): Promise<Prepared> {
    const windows = await this.windowsFor(batch);
    const since = new Date(Date.now() - SENDER_IP_WINDOW_MS);
    const users = [...new Set(batch.map((w) => w.hit.resolved.userId))];
    const userIps = await Promise.all(users.map((u) => this.store.senderIps(u, since)));
    const senders = new Map<string, { ips: string[]; prefixes: string[] }>();
    for (const [i, user] of users.entries()) {
      const ips = userIps[i]!;
      senders.set(user, { ips, prefixes: senderPrefixes(ips) });
    }

    const accounts = [...new Set(batch.map((w) => w.hit.resolved.accountId))];
    const shared = new Map<string, boolean>();
    for (const a of accounts) {
      let v = this.sharedNetwork.get(a);
      if (v === undefined) {
        v = (await this.store.getSettings(a)).sharesNetworkWithProspects === true;
        this.sharedNetwork.set(a, v);
      }
      shared.set(a, v);
    }

    const inBatch = new Map<string, NewHit>();
    const revisions = new Map<string, Revision>();
    const sentAt = new Map<string, Date>();
    const rows: NewHit[] = [];
    for (const { hit: h } of batch) {
      const r = h.resolved;
      const w = windows.get(r.messageId);
      const sender = senders.get(r.userId);
      if (!w || !sender) throw new Error('hit context missing after it was loaded');
      let sent = sentAt.get(r.messageId);
      if (!sent) {
        sent = new Date(r.sentAt);
        sentAt.set(r.messageId, sent);
      }
      const { revise, hold, ...classification } = classifyHit(this.classify, h.signals, {
        sentAt: sent,
        linkCount: r.links.length,
        senderIps: sender.ips,
        previous: w.hits,
        sharesNetworkWithProspects: shared.get(r.accountId) === true,
      });
      for (const rev of revise) {
        const id = w.ids[rev.index];
        const target = w.hits[rev.index];
        if (id === undefined || !target || w.corrected.has(id)) continue;
        target.verdict = rev.verdict;
        target.reasons = rev.reasons;
        const pending = inBatch.get(id);
        if (pending)
          pending.classification = { ...pending.classification, verdict: rev.verdict, reasons: rev.reasons };
        else revisions.set(id, { eventId: id, verdict: rev.verdict, reasons: rev.reasons });
      }
      const id = newEventId(h.signals.at.getTime());
      const prefix = ipPrefix(h.signals.ip);
      const signals = storedSignals(h.signals, prefix, sender.prefixes);
      w.hits.push({
        signals: contextSignals(h.signals, prefix),
        verdict: classification.verdict,
        reasons: classification.reasons,
      });
      w.ids.push(id);
      if (w.hits.length > PREVIOUS_LIMIT) {
        w.hits.shift();
        w.ids.shift();
      }
      w.pending++;
      touched.set(w, (touched.get(w) ?? 0) + 1);
      const ua = describeUa(h.signals.userAgent);
      const row: NewHit = {
        id,
        accountId: r.accountId,
        messageId: r.messageId,
        offerId: h.offerId ?? null,
        token: r.token,
        type: h.type,
        recipientEmail: r.recipientEmail,
        occurredAt: signals.at,
        // issue 21: the hold rides in the detail (stored and served as it is, by both stores):
        // like the link it is a fact fixed at arrival, while the verdict may still change
        detail: hold
          ? { ...h.detail, settleAt: new Date(h.signals.at.getTime() + hold.ms).toISOString() }
          : h.detail,
        classification: hold
          ? { ...classification, reasons: [...classification.reasons, ...hold.reasons] }
          : classification,
        uaFamily: ua.uaFamily,
        os: ua.os,
        signals,
      };
      inBatch.set(id, row);
      rows.push(row);
    }
    return { rows, revisions: [...revisions.values()] };
  }
}
