import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventDetail, EventType } from '../../src-shared/events';
import type { ClassifiedHit, Classifier, HitSignals } from '../classify/types';
import type { NewHit, ResolvedToken, Revision, Store } from '../store/types';
import { describeUa } from '../util/ua';
import { classifyHit } from './classify-hit';
import { fromStoredSignals, toStoredSignals } from './signals';

export interface PendingHit {
  resolved: ResolvedToken;
  type: EventType;
  detail: EventDetail;
  signals: HitSignals;
}

interface Waiting {
  hit: PendingHit;
  done: (stored: boolean) => void;
}

/** How many earlier hits of a message the classifier sees. */
const PREVIOUS_LIMIT = 20;
/** Sender IPs older than this do not count as "recent". */
const SENDER_IP_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * Group commit: hits queue in memory and one flush classifies them and writes them in a
 * single transaction, then answers every waiting request. One fsync serves many hits.
 */
export class HitWriter {
  private queue: Waiting[] = [];
  private scheduled = false;
  private flushing = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly classify: Classifier,
    private readonly log: Logger,
    private readonly maxBatch = 1000,
  ) {}

  /** resolves true once the hit is committed, false when it could not be stored */
  submit(hit: PendingHit): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ hit, done });
      this.schedule();
    });
  }

  /** resolves when nothing is queued or being written */
  drain(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate: every request parsed in this turn of the event loop joins the batch
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let ok = false;
        try {
          const { rows, revisions } = await this.prepare(batch.map((w) => w.hit));
          await this.store.recordHits(rows, revisions);
          ok = true;
        } catch (e) {
          this.log.error({ err: e, hits: batch.length }, 'hits could not be stored');
        }
        for (const w of batch) w.done(ok);
      }
    } finally {
      this.flushing = false;
      const idle = this.idle;
      this.idle = [];
      for (const r of idle) r();
    }
  }

  private async prepare(hits: PendingHit[]): Promise<{ rows: NewHit[]; revisions: Revision[] }> {
    const previousByMessage = new Map<string, { hits: ClassifiedHit[]; ids: string[] }>();
    const inBatch = new Map<string, NewHit>();
    const revisions = new Map<string, Revision>();
    const senderIpsByUser = new Map<string, string[]>();
    const since = new Date(Date.now() - SENDER_IP_WINDOW_MS);
    const out: NewHit[] = [];
    for (const h of hits) {
      const r = h.resolved;
      let previous = previousByMessage.get(r.messageId);
      if (!previous) {
        const stored = await this.store.listHitsForMessage(r.messageId, PREVIOUS_LIMIT);
        previous = {
          hits: stored.map((s) => ({
            signals: fromStoredSignals(s.signals).signals,
            verdict: s.classification.verdict,
            reasons: s.classification.reasons,
          })),
          ids: stored.map((s) => s.id),
        };
        previousByMessage.set(r.messageId, previous);
      }
      let senderIps = senderIpsByUser.get(r.userId);
      if (!senderIps) {
        senderIps = await this.store.senderIps(r.userId, since);
        senderIpsByUser.set(r.userId, senderIps);
      }
      const offset = Math.max(0, previous.hits.length - PREVIOUS_LIMIT);
      const { revise, ...classification } = classifyHit(this.classify, h.signals, {
        sentAt: new Date(r.sentAt),
        linkCount: r.links.length,
        senderIps,
        previous: previous.hits.slice(offset),
      });
      for (const rev of revise) {
        const at = offset + rev.index;
        const id = previous.ids[at];
        const target = previous.hits[at];
        if (id === undefined || !target) continue;
        target.verdict = rev.verdict;
        target.reasons = rev.reasons;
        const pending = inBatch.get(id);
        if (pending) pending.classification = { ...pending.classification, verdict: rev.verdict, reasons: rev.reasons };
        else revisions.set(id, { eventId: id, verdict: rev.verdict, reasons: rev.reasons });
      }
      const id = randomUUID();
      previous.hits.push({ signals: h.signals, verdict: classification.verdict, reasons: classification.reasons });
      previous.ids.push(id);
      const ua = describeUa(h.signals.userAgent);
      const row: NewHit = {
        id,
        accountId: r.accountId,
        messageId: r.messageId,
        token: r.token,
        type: h.type,
        recipientEmail: r.recipientEmail,
        occurredAt: h.signals.at.toISOString(),
        detail: h.detail,
        classification,
        uaFamily: ua.uaFamily,
        os: ua.os,
        signals: toStoredSignals(h.signals, senderIps),
      };
      inBatch.set(id, row);
      out.push(row);
    }
    return { rows: out, revisions: [...revisions.values()] };
  }
}
