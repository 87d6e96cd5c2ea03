import type Database from 'better-sqlite3';
import type { MessageSummary } from '../../../src-shared/api';
import type { EventsShape } from '../../../src-shared/event-rows';
import type { TrackingEvent, Verdict } from '../../../src-shared/events';
import type { Listeners } from '../listeners';
import {
  eventFromRow,
  messageSummaryFromRow,
  storedHitFromRow,
  type EventRowBase,
  type MessageRowBase,
} from '../rows';
import type * as T from '../types';
import { encodeHitBatch, hitBatchWriter, type HitBatch } from './hit-batch.mjs';
import { sqliteMailboxSignalWriter } from './mailbox-signals';
import { seqAllocator } from './seq';
import type { HitWriterThread } from './worker-client';

type MessageRow = MessageRowBase<string, number>;
interface EventRow extends EventRowBase<string> {
  signals: string;
  account_id: string;
  user_id: string;
}

/** what the wire needs; the pull leaves out the raw signals (about half of each row) */
const WIRE_COLUMNS =
  'id, seq, type, message_id, offer_id, recipient_email, occurred_at, detail, verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os';
const EVENT_COLUMNS = `${WIRE_COLUMNS}, signals, account_id, user_id`;
/** `,"key":"value"` when the column holds a non-empty value, else nothing */
const optionalField = (key: string, column: string): string =>
  `CASE WHEN ${column} IS NULL OR ${column} = '' THEN '' ELSE ',"${key}":' || json_quote(${column}) END`;
/**
 * An event's wire JSON built by SQLite, the same value rows.ts eventFromRow gives (optional fields
 * that are NULL or empty left out, as eventFromRow leaves them out). Concatenated, not built with
 * json_object/json_patch: those parse and render each event's JSON again, which made reading a
 * first sync's pages cost ~2 × the bare keyset read (0.7–1.2 s against 0.45–0.5 s CPU for
 * 100,000 events); the text is byte for byte the same (test/collector/pull-json.test.ts).
 */
/** the client's members after its verdict, and after the client the offer, as eventFromRow gives them */
const WIRE_CLIENT_REST = `'"reasons":' || json(reasons)
  || ',"ipPrefix":' || json_quote(ip_prefix) || ${optionalField('correctedFrom', 'corrected_from')}
  || ${optionalField('uaFamily', 'ua_family')} || ${optionalField('os', 'os')} || '}'
  || ${optionalField('offerId', 'offer_id')}`;
const WIRE_JSON = `'{"id":' || json_quote(id) || ',"seq":' || seq || ',"type":' || json_quote(type)
  || ',"messageId":' || json_quote(message_id) || ',"recipientEmail":' || json_quote(recipient_email)
  || ',"occurredAt":' || json_quote(occurred_at) || ',"detail":' || json(detail)
  || ',"client":{"verdict":' || json_quote(verdict) || ',' || ${WIRE_CLIENT_REST} || '}'`;
/**
 * An event's row (src-shared/event-rows.ts, wireRowOfEvent) built by SQLite the same way: the
 * columns, then the body with the same members in the same order as in WIRE_JSON, less the verdict
 * (test/collector/pull-json.test.ts).
 */
const WIRE_ROW = `'[' || json_quote(id) || ',' || seq || ',' || json_quote(message_id) || ',' || json_quote(type)
  || ',' || json_quote(recipient_email) || ',' || json_quote(occurred_at) || ',' || json_quote(verdict)
  || ',{"detail":' || json(detail) || ',"client":{' || ${WIRE_CLIENT_REST} || '}]'`;
/** a page's events as pullEventsJson sends them: their wire JSON joined by commas, UTF-8 */
interface WireJsonPage {
  json: Buffer | null;
  n: number;
  last: number | null;
}
/**
 * The page's events joined by SQLite into one UTF-8 blob: no JavaScript string per event, no join
 * and no encoding on the way out. Against a row per event, joined and sent as a string, this read
 * half the time (200,000 events: 0.5–0.8 s against 1.2–1.8 s) and the answer goes to the socket
 * as it is (a 1.7 MB string cost ~6 ms to measure and ~8 ms to write per page). The rows come from
 * the subquery in its seq order; the desktop checks that order (sync/page-check.ts).
 */
const joinedJson = (keyset: string): string =>
  `SELECT CAST(group_concat(j, ',') AS BLOB) AS json, count(*) AS n, max(seq) AS last FROM (${keyset})`;
const NO_EVENTS = Buffer.alloc(0);

/**
 * Events (SQLite): pulled by the desktops, corrected by agents, reclassified. Hits are written
 * by hit-batch.mjs, on the writer thread for a file (worker-client.ts), else right here.
 */
export class SqliteEvents implements T.EventsStore {
  private readonly s;
  private readonly nextSeq: (accountId: string) => number;
  private readonly changed: Listeners<T.EventsChange>;
  /** on the calling thread when there is no writer thread */
  private readonly writeInline:
    ((batches: readonly HitBatch[]) => { seqs: number[][]; accounts: string[] }) | null;
  private readonly writeMailboxSignal: (input: T.NewMailboxSignal) => T.MailboxSignalOutcome;

  constructor(
    private readonly db: Database.Database,
    private readonly writer: HitWriterThread | null,
    private readonly committed: Listeners<string>,
    changed: Listeners<T.EventsChange>,
  ) {
    this.changed = changed;
    this.nextSeq = seqAllocator(db);
    this.writeInline = writer ? null : hitBatchWriter(db);
    this.writeMailboxSignal = sqliteMailboxSignalWriter(db, this.nextSeq);
    const byViewer = (columns: string, from: string): [string, string] => [
      `SELECT ${columns} FROM ${from} WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      `SELECT ${columns} FROM ${from} WHERE account_id = ? AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ];
    const [eventsAdmin, eventsAgent] = byViewer(WIRE_COLUMNS, 'events');
    const [jsonAdmin, jsonAgent] = byViewer(`seq, ${WIRE_JSON} AS j`, 'events');
    const [rowsAdmin, rowsAgent] = byViewer(`seq, ${WIRE_ROW} AS j`, 'events');
    const [seqsAdmin, seqsAgent] = byViewer('seq', 'events');
    const [messagesAdmin, messagesAgent] = byViewer('*', 'messages');
    this.s = {
      recentHits: db.prepare<[string, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE message_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      ),
      messagesWithHits: db.prepare<[], { message_id: string }>(
        'SELECT DISTINCT message_id FROM events ORDER BY message_id',
      ),
      eventsAdmin: db.prepare<[string, number, number], EventRowBase<string>>(eventsAdmin),
      eventsAgent: db.prepare<[string, string, number, number], EventRowBase<string>>(eventsAgent),
      eventsJsonAdmin: db.prepare<[string, number, number], WireJsonPage>(joinedJson(jsonAdmin)),
      eventsJsonAgent: db.prepare<[string, string, number, number], WireJsonPage>(joinedJson(jsonAgent)),
      eventsRowsAdmin: db.prepare<[string, number, number], WireJsonPage>(joinedJson(rowsAdmin)),
      eventsRowsAgent: db.prepare<[string, string, number, number], WireJsonPage>(joinedJson(rowsAgent)),
      seqsAdmin: db.prepare<[string, number, number], number>(seqsAdmin).pluck(),
      seqsAgent: db.prepare<[string, string, number, number], number>(seqsAgent).pluck(),
      messagesAdmin: db.prepare<[string, number, number], MessageRow>(messagesAdmin),
      messagesAgent: db.prepare<[string, string, number, number], MessageRow>(messagesAgent),
      lastSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM accounts WHERE id = ?'),
      eventById: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
      setVerdict: db.prepare('UPDATE events SET verdict = ?, corrected_from = ?, seq = ? WHERE id = ?'),
      setClassification: db.prepare(
        'UPDATE events SET verdict = ?, reasons = ?, ip_owner = ?, seq = ? WHERE id = ?',
      ),
    };
  }

  async recordHits(
    batch: readonly T.NewHit[],
    revisions: readonly T.Revision[] = [],
  ): Promise<T.StoredHitRef[]> {
    if (batch.length === 0 && revisions.length === 0) return [];
    if (!this.db.open) throw new Error('store closed');
    const encoded = encodeHitBatch(batch, revisions);
    let seqs: number[];
    let accounts: string[];
    if (this.writer) {
      ({ seqs, accounts } = await this.writer.write(encoded));
    } else {
      const r = this.writeInline!([encoded]);
      seqs = r.seqs[0] ?? [];
      accounts = r.accounts;
    }
    for (const a of accounts) this.committed.emit(a);
    return batch.map((h, i) => ({ id: h.id, seq: seqs[i] ?? 0 }));
  }

  async listHitsForMessage(messageId: string, limit = 1_000_000): Promise<T.StoredHit[]> {
    return this.s.recentHits.all(messageId, limit).reverse().map(storedHitFromRow);
  }

  async listMessageIdsWithHits(messageId?: string): Promise<string[]> {
    const all = this.s.messagesWithHits.all().map((r) => r.message_id);
    return messageId === undefined ? all : all.filter((m) => m === messageId);
  }

  async pullEvents(viewer: T.Viewer, after: number, limit: number): Promise<T.EventsPage> {
    const { events, messages, lastSeq } = this.readPage(
      viewer,
      after,
      limit,
      this.s.eventsAdmin,
      this.s.eventsAgent,
    );
    const out: T.EventsPage = { events: [], messages: [], next: after, lastSeq };
    mergeBySeq(
      events,
      (e) => e.seq,
      messages,
      limit,
      out,
      (e) => out.events.push(toEvent(e)),
    );
    return out;
  }

  async pullEventsJson(
    viewer: T.Viewer,
    after: number,
    limit: number,
    shape: EventsShape = 'events',
  ): Promise<T.EventsPageJson> {
    const admin = viewer.role === 'admin';
    const rows = shape === 'rows';
    // one read transaction: registrations, events and lastSeq from the same snapshot (see readPage)
    const read = this.db.transaction((): T.EventsPageJson => {
      const out: T.EventsPageJson = {
        events: NO_EVENTS,
        eventCount: 0,
        messages: [],
        next: after,
        lastSeq: this.s.lastSeq.get(viewer.accountId)?.last_seq ?? 0,
      };
      const messages = admin
        ? this.s.messagesAdmin.all(viewer.accountId, after, limit)
        : this.s.messagesAgent.all(viewer.accountId, viewer.id, after, limit);
      // the page holds the first `limit` of events and registrations by seq: with registrations
      // among them, the events' seqs decide how many events fit (a first sync's pages have none)
      let take = limit;
      if (messages.length > 0) {
        const seqs = admin
          ? this.s.seqsAdmin.all(viewer.accountId, after, limit)
          : this.s.seqsAgent.all(viewer.accountId, viewer.id, after, limit);
        take = 0;
        mergeBySeq(
          seqs,
          (seq) => seq,
          messages,
          limit,
          out,
          () => take++,
        );
      }
      if (take === 0) return out;
      const page = admin
        ? (rows ? this.s.eventsRowsAdmin : this.s.eventsJsonAdmin).get(viewer.accountId, after, take)
        : (rows ? this.s.eventsRowsAgent : this.s.eventsJsonAgent).get(
            viewer.accountId,
            viewer.id,
            after,
            take,
          );
      if (page?.json && page.last !== null) {
        out.events = page.json;
        out.eventCount = page.n;
        out.next = Math.max(out.next, page.last);
      }
      return out;
    });
    return read.deferred();
  }

  /**
   * The viewer's events (read by the given admin or agent statement) and message registrations
   * after `after`, both from ONE read transaction, so they come from the same snapshot and merge
   * by seq without a gap.
   */
  private readPage<R>(
    viewer: T.Viewer,
    after: number,
    limit: number,
    admin: Database.Statement<[string, number, number], R>,
    agent: Database.Statement<[string, string, number, number], R>,
  ): { events: R[]; messages: MessageRow[]; lastSeq: number } {
    const read = this.db.transaction(() => ({
      // the newest seq of the account in the same snapshot: what is left is at most lastSeq - next
      lastSeq: this.s.lastSeq.get(viewer.accountId)?.last_seq ?? 0,
      events:
        viewer.role === 'admin'
          ? admin.all(viewer.accountId, after, limit)
          : agent.all(viewer.accountId, viewer.id, after, limit),
      messages:
        viewer.role === 'admin'
          ? this.s.messagesAdmin.all(viewer.accountId, after, limit)
          : this.s.messagesAgent.all(viewer.accountId, viewer.id, after, limit),
    }));
    return read.deferred();
  }

  async updateVerdict(viewer: T.Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null> {
    const tx = this.db.transaction((): EventRow | null => {
      const row = this.s.eventById.get(eventId);
      if (!row || row.account_id !== viewer.accountId) return null;
      if (viewer.role !== 'admin' && row.user_id !== viewer.id) return null;
      const original = (row.corrected_from ?? row.verdict) as Verdict;
      const seq = this.nextSeq(viewer.accountId);
      this.s.setVerdict.run(verdict, verdict === original ? null : original, seq, eventId);
      return this.s.eventById.get(eventId) ?? null;
    });
    const row = tx.immediate();
    if (!row) return null;
    this.committed.emit(viewer.accountId);
    this.emitChange(row);
    return toEvent(row);
  }

  async updateClassification(eventId: string, c: T.StoredClassification): Promise<boolean> {
    const tx = this.db.transaction((): EventRow | null => {
      const row = this.s.eventById.get(eventId);
      if (!row) return null;
      const same =
        row.verdict === c.verdict && row.reasons === JSON.stringify(c.reasons) && row.ip_owner === c.ipOwner;
      if (same) return null;
      const seq = this.nextSeq(row.account_id);
      this.s.setClassification.run(c.verdict, JSON.stringify(c.reasons), c.ipOwner, seq, eventId);
      return this.s.eventById.get(eventId) ?? null;
    });
    const row = tx.immediate();
    if (row === null) return false;
    this.committed.emit(row.account_id);
    this.emitChange(row);
    return true;
  }

  /**
   * Issue 19 (sqlite/mailbox-signals.ts). No `changed` notice: the hit writer's context leaves
   * mailbox signals out (mailbox-rows.ts isMailboxHit), so a new one makes nothing stale.
   */
  async recordMailboxSignal(input: T.NewMailboxSignal): Promise<T.MailboxSignalOutcome> {
    if (!this.db.open) throw new Error('store closed');
    const r = this.writeMailboxSignal(input);
    if (r.outcome === 'created') this.committed.emit(input.viewer.accountId);
    return r;
  }

  onEventsChanged(listener: (change: T.EventsChange) => void): () => void {
    return this.changed.add(listener);
  }

  onCommitted(listener: (accountId: string) => void): () => void {
    return this.committed.add(listener);
  }

  private emitChange(row: EventRow): void {
    this.changed.emit({
      kind: 'event',
      change: {
        messageId: row.message_id,
        eventId: row.id,
        verdict: row.verdict as Verdict,
        reasons: JSON.parse(row.reasons) as string[],
        corrected: row.corrected_from !== null,
      },
    });
  }
}

/** both lists are in seq order: merged, the page is the first `limit` of either */
function mergeBySeq<E>(
  events: readonly E[],
  seqOf: (e: E) => number,
  messages: readonly MessageRow[],
  limit: number,
  out: { messages: (MessageSummary & { seq: number })[]; next: number },
  takeEvent: (e: E) => void,
): void {
  let e = 0;
  let m = 0;
  for (let n = 0; n < limit; n++) {
    const ev = events[e];
    const msg = messages[m];
    if (ev !== undefined && (!msg || seqOf(ev) < msg.seq)) {
      takeEvent(ev);
      out.next = seqOf(ev);
      e++;
    } else if (msg) {
      out.messages.push({ ...messageSummaryFromRow(msg, same, (b) => b === 1), seq: msg.seq });
      out.next = msg.seq;
      m++;
    } else break;
  }
}

function toEvent(r: EventRowBase<string>): TrackingEvent {
  return eventFromRow(r, same);
}

function same(t: string): string {
  return t;
}
