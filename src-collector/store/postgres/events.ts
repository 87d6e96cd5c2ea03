import type { Sql, TransactionSql } from 'postgres';
import { wireRowOfEvent, type EventsShape } from '../../../src-shared/event-rows';
import type { TrackingEvent, Verdict } from '../../../src-shared/events';
import {
  eventFromRow,
  messageSummaryFromRow,
  storedHitFromRow,
  type EventRowBase,
  type MessageRowBase,
} from '../rows';
import type * as T from '../types';
import type { PgContext } from './context';
import { recordMailboxSignalPg } from './mailbox-signals';

type MessageRow = MessageRowBase<Date, boolean>;
type EventRow = EventRowBase<Date>;
interface FullEventRow extends EventRow {
  signals: string;
  account_id: string;
  user_id: string;
}
/** one row of the pull's UNION: an event or a message registration */
type PullRow = ({ kind: 'e' } & EventRow) | ({ kind: 'm' } & MessageRow);

/** an event's columns as the wire and the pull read them (mailbox-signals.ts reads the same) */
export const EVENT_COLUMNS = [
  'id',
  'seq',
  'type',
  'message_id',
  'offer_id',
  'recipient_email',
  'occurred_at',
  'detail',
  'verdict',
  'reasons',
  'corrected_from',
  'ip_owner',
  'ip_prefix',
  'ua_family',
  'os',
];

/** most hits in one insert statement (its arrays are 16 parameters, whatever the count) */
const MAX_STATEMENT_HITS = 5000;

interface QueuedWrite {
  batch: readonly T.NewHit[];
  revisions: readonly T.Revision[];
  resolve(refs: T.StoredHitRef[]): void;
  reject(e: unknown): void;
}

/**
 * A statement PostgreSQL refused for what it holds (SQLSTATE class 22, data exception, or 23,
 * integrity constraint: an unknown message's hit), not for a lost or refused connection.
 */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

async function settle(w: QueuedWrite, run: () => Promise<T.StoredHitRef[]>): Promise<void> {
  try {
    w.resolve(await run());
  } catch (e) {
    w.reject(e);
  }
}

/** Events (PostgreSQL): written in group-committed statements, pulled, corrected, reclassified. */
export class PgEvents implements T.EventsStore {
  private readonly writes: QueuedWrite[] = [];
  private writing = false;

  constructor(private readonly ctx: PgContext) {}

  recordHits(batch: readonly T.NewHit[], revisions: readonly T.Revision[] = []): Promise<T.StoredHitRef[]> {
    if (batch.length === 0 && revisions.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.writes.push({ batch, revisions, resolve, reject });
      if (!this.writing) void this.drainWrites();
    });
  }

  /**
   * One write at a time, in the order they came: what arrived while one committed goes next,
   * plain batches together in one statement (as SQLite's writer thread joins them into one
   * transaction), so the commit rate stays low and batches grow with the load. A batch with
   * revisions goes alone, after everything before it: its targets may be in those.
   */
  private async drainWrites(): Promise<void> {
    this.writing = true;
    try {
      for (let next = this.writes[0]; next !== undefined; next = this.writes[0]) {
        if (next.revisions.length > 0) {
          this.writes.shift();
          await settle(next, () => this.recordWithRevisions(next.batch, next.revisions));
          continue;
        }
        const group: QueuedWrite[] = [];
        let rows = 0;
        while (this.writes[0] && this.writes[0].revisions.length === 0 && rows < MAX_STATEMENT_HITS) {
          const w = this.writes.shift()!;
          group.push(w);
          rows += w.batch.length;
        }
        let refs: T.StoredHitRef[];
        try {
          refs = await this.insertHits(group.flatMap((w) => w.batch));
        } catch (e) {
          if (group.length > 1 && isDataError(e)) {
            // one bad batch must not fail the others that happened to share its statement
            for (const w of group) await settle(w, () => this.insertHits(w.batch));
          } else {
            // the database is away: each batch alone would only wait for it again
            for (const w of group) w.reject(e);
          }
          continue;
        }
        let at = 0;
        for (const w of group) {
          w.resolve(refs.slice(at, at + w.batch.length));
          at += w.batch.length;
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * The common case, a batch without revisions: ONE statement (insertStatement), so one round
   * trip and one WAL flush, committed on its own (autocommit) on any pooled connection.
   *
   * It used to be BEGIN, the locks, the write and COMMIT pipelined on a reserved connection.
   * postgres.js (3.4.9, porsager/postgres#1208) throws an uncatchable TypeError from a
   * setImmediate when a reserved connection's backend dies under it: the collector crashed in
   * the outage test once batches reached that path during an outage.
   */
  private async insertHits(batch: readonly T.NewHit[]): Promise<T.StoredHitRef[]> {
    const accounts = [...new Set(batch.map((h) => h.accountId))].sort();
    const refs = await this.insertStatement(this.ctx.sql, batch, accounts);
    for (const a of accounts) this.ctx.emit(a);
    return refs;
  }

  /**
   * The event INSERT of this dialect. It locks the batch's accounts in a fixed order (writers
   * never deadlock), takes their seqs, inserts the rows and queues the notification of
   * `notifyAccounts`; if any part fails, nothing of the batch is stored.
   */
  private async insertStatement(
    q: Sql | TransactionSql,
    batch: readonly T.NewHit[],
    notifyAccounts: readonly string[],
  ): Promise<T.StoredHitRef[]> {
    if (batch.length === 0) {
      await q`SELECT pg_notify(${this.ctx.channel}, p) FROM unnest(${this.ctx.commitPayloads(notifyAccounts)}::text[]) AS p`;
      return [];
    }
    const accounts = [...new Set(batch.map((h) => h.accountId))].sort();
    const col = <T>(f: (h: T.NewHit) => T): T[] => batch.map(f);
    const stored = await q<{ id: string; seq: number }[]>`
        WITH input AS (
          SELECT * FROM unnest(${col((h) => h.id)}::text[], ${col((h) => h.accountId)}::text[],
            ${col((h) => h.messageId)}::text[], ${col((h) => h.offerId)}::text[],
            ${col((h) => h.token)}::text[], ${col((h) => h.type)}::text[], ${col((h) => h.recipientEmail)}::text[],
            ${col((h) => h.occurredAt)}::text[], ${col((h) => JSON.stringify(h.detail))}::text[],
            ${col((h) => h.classification.verdict)}::text[], ${col((h) => JSON.stringify(h.classification.reasons))}::text[],
            ${col((h) => h.classification.ipOwner)}::text[], ${col((h) => h.signals.ipPrefix)}::text[],
            ${col((h) => h.uaFamily)}::text[], ${col((h) => h.os)}::text[], ${col((h) => JSON.stringify(h.signals))}::text[])
            WITH ORDINALITY AS t(id, account_id, message_id, offer_id, token, type, recipient_email, occurred_at,
              detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals, ord)
        ),
        -- the account rows, locked in id order; bumped below waits for this (its one-time
        -- filter runs before it updates any row)
        locked AS (
          SELECT account_id FROM account_seq WHERE account_id = ANY(${accounts}::text[])
          ORDER BY account_id FOR UPDATE
        ),
        counts AS (SELECT account_id, count(*) AS n FROM input GROUP BY account_id),
        bumped AS (
          UPDATE account_seq s SET last_seq = s.last_seq + c.n FROM counts c
          WHERE s.account_id = c.account_id AND (SELECT count(*) FROM locked) >= 0
          RETURNING s.account_id, s.last_seq - c.n AS base
        ),
        ins AS (
          INSERT INTO events (id, account_id, user_id, message_id, offer_id, token, seq, type, recipient_email,
            occurred_at, detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals)
          SELECT i.id, i.account_id, m.user_id, i.message_id, i.offer_id, i.token,
            b.base + row_number() OVER (PARTITION BY i.account_id ORDER BY i.ord), i.type, i.recipient_email,
            i.occurred_at::timestamptz, i.detail, i.verdict, i.reasons, i.ip_owner, i.ip_prefix, i.ua_family, i.os, i.signals
          -- LEFT JOINs: a hit whose account has no sequence row gets a NULL seq, and one whose
          -- message is unknown or of another account a NULL user (migration 002 took the foreign
          -- keys' place with this); either fails the statement and the whole batch
          FROM input i LEFT JOIN bumped b ON b.account_id = i.account_id
            LEFT JOIN messages m ON m.id = i.message_id AND m.account_id = i.account_id
          RETURNING id, seq
        ),
        notified AS (
          SELECT pg_notify(${this.ctx.channel}, p) FROM unnest(${this.ctx.commitPayloads(notifyAccounts)}::text[]) AS p
        )
        SELECT id, seq FROM ins WHERE (SELECT count(*) FROM notified) >= 0`;
    const seqOf = new Map(stored.map((r) => [r.id, r.seq]));
    return batch.map((h) => ({ id: h.id, seq: seqOf.get(h.id)! }));
  }

  /**
   * A batch with revisions, in one transaction: the revised rows and every account involved are
   * locked first (in a fixed order), the hits go in through the one insert statement, then each
   * revision that changes something takes the next seq of its account.
   */
  private async recordWithRevisions(
    batch: readonly T.NewHit[],
    revisions: readonly T.Revision[],
  ): Promise<T.StoredHitRef[]> {
    const { refs, accounts } = await this.ctx.sql.begin(async (tx) => {
      const targets = await tx<
        { id: string; account_id: string; verdict: string; reasons: string; corrected_from: string | null }[]
      >`
        SELECT id, account_id, verdict, reasons, corrected_from FROM events
        WHERE id = ANY(${revisions.map((r) => r.eventId)}::text[]) ORDER BY id FOR UPDATE`;
      const byId = new Map(targets.map((t) => [t.id, t]));
      const changed: { rev: T.Revision; accountId: string }[] = [];
      for (const r of revisions) {
        const t = byId.get(r.eventId);
        if (!t || t.corrected_from !== null) continue;
        if (t.verdict === r.verdict && t.reasons === JSON.stringify(r.reasons)) continue;
        changed.push({ rev: r, accountId: t.account_id });
      }
      const accounts = [
        ...new Set([...batch.map((h) => h.accountId), ...changed.map((c) => c.accountId)]),
      ].sort();
      await tx`SELECT account_id FROM account_seq WHERE account_id = ANY(${accounts}::text[]) ORDER BY account_id FOR UPDATE`;
      const refs = await this.insertStatement(tx, batch, accounts);
      const counts = new Map<string, number>();
      for (const c of changed) counts.set(c.accountId, (counts.get(c.accountId) ?? 0) + 1);
      const next = new Map((await this.ctx.allocate(tx, counts)).map((r) => [r.accountId, r.first]));
      for (const c of changed) {
        const seq = next.get(c.accountId)!;
        next.set(c.accountId, seq + 1);
        await tx`UPDATE events SET verdict = ${c.rev.verdict}, reasons = ${JSON.stringify(c.rev.reasons)}, seq = ${seq}
          WHERE id = ${c.rev.eventId}`;
      }
      return { refs, accounts };
    });
    for (const a of accounts) this.ctx.emit(a);
    return refs;
  }

  async listHitsForMessage(messageId: string, limit = 1_000_000): Promise<T.StoredHit[]> {
    const rows = await this.ctx.sql<FullEventRow[]>`
      SELECT id, seq, message_id, signals, verdict, reasons, ip_owner, corrected_from FROM events
      WHERE message_id = ${messageId} ORDER BY occurred_at DESC, id DESC LIMIT ${limit}`;
    return rows.reverse().map(storedHitFromRow);
  }

  async listMessageIdsWithHits(messageId?: string): Promise<string[]> {
    const sql = this.ctx.sql;
    const rows =
      messageId === undefined
        ? await sql<{ message_id: string }[]>`SELECT DISTINCT message_id FROM events ORDER BY message_id`
        : await sql<{ message_id: string }[]>`
            SELECT DISTINCT message_id FROM events WHERE message_id = ${messageId}`;
    return rows.map((r) => r.message_id);
  }

  async pullEvents(viewer: T.Viewer, after: number, limit: number): Promise<T.EventsPage> {
    const sql = this.ctx.sql;
    const own = viewer.role === 'admin' ? sql`` : sql`AND user_id = ${viewer.id}`;
    // one statement, so events and registrations come from one snapshot and merge by seq
    const rows = await sql<PullRow[]>`
      (SELECT 'e' AS kind, seq, id, type, message_id, offer_id, recipient_email, occurred_at, detail, verdict, reasons,
          corrected_from, ip_owner, ip_prefix, ua_family, os,
          NULL::text AS account_id, NULL::text AS user_id, NULL::text AS client_id, NULL::text AS subject,
          NULL::boolean AS sent_individually, NULL::text AS recipients, NULL::text AS links, NULL::timestamptz AS created_at
        FROM events WHERE account_id = ${viewer.accountId} ${own} AND seq > ${after} ORDER BY seq LIMIT ${limit})
      UNION ALL
      (SELECT 'm', seq, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
          account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at
        FROM messages WHERE account_id = ${viewer.accountId} ${own} AND seq > ${after} ORDER BY seq LIMIT ${limit})
      ORDER BY seq LIMIT ${limit}`;
    // after the page, so the estimate covers at least what the page saw
    const [seqRow] = await sql<{ last_seq: string | number }[]>`
      SELECT last_seq FROM account_seq WHERE account_id = ${viewer.accountId}`;
    const out: T.EventsPage = { events: [], messages: [], next: after, lastSeq: Number(seqRow?.last_seq ?? 0) };
    for (const r of rows) {
      if (r.kind === 'e') out.events.push(eventFromRow(r, iso));
      else out.messages.push({ ...messageSummaryFromRow(r, iso, (b) => b), seq: r.seq });
      out.next = r.seq;
    }
    return out;
  }

  /** the events are read as objects either way (pullEvents): serialised here, in the shape asked for */
  async pullEventsJson(
    viewer: T.Viewer,
    after: number,
    limit: number,
    shape: EventsShape = 'events',
  ): Promise<T.EventsPageJson> {
    const page = await this.pullEvents(viewer, after, limit);
    const wire = shape === 'rows' ? (e: TrackingEvent) => JSON.stringify(wireRowOfEvent(e)) : JSON.stringify;
    return {
      ...page,
      events: Buffer.from(page.events.map((e) => wire(e)).join(',')),
      eventCount: page.events.length,
    };
  }

  async updateVerdict(viewer: T.Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null> {
    const row = await this.ctx.sql.begin(async (tx): Promise<EventRow | null> => {
      const [row] = await tx<FullEventRow[]>`
        SELECT ${tx(EVENT_COLUMNS)}, user_id, account_id FROM events
        WHERE id = ${eventId} AND account_id = ${viewer.accountId} FOR UPDATE`;
      if (!row || (viewer.role !== 'admin' && row.user_id !== viewer.id)) return null;
      const original = (row.corrected_from ?? row.verdict) as Verdict;
      const [seq] = await this.ctx.allocate(tx, new Map([[viewer.accountId, 1]]));
      const [updated] = await tx<EventRow[]>`
        UPDATE events SET verdict = ${verdict}, corrected_from = ${verdict === original ? null : original}, seq = ${seq!.first}
        WHERE id = ${eventId} RETURNING ${tx(EVENT_COLUMNS)}`;
      await this.ctx.notifyCommit(tx, [viewer.accountId]);
      return updated ?? null;
    });
    if (!row) return null;
    this.ctx.changed.emit({ kind: 'account', accountId: viewer.accountId });
    this.ctx.emit(viewer.accountId);
    return eventFromRow(row, iso);
  }

  async updateClassification(eventId: string, c: T.StoredClassification): Promise<boolean> {
    const account = await this.ctx.sql.begin(async (tx): Promise<string | null> => {
      const [row] = await tx<FullEventRow[]>`
        SELECT verdict, reasons, ip_owner, account_id FROM events WHERE id = ${eventId}`;
      if (!row) return null;
      const same =
        row.verdict === c.verdict && row.reasons === JSON.stringify(c.reasons) && row.ip_owner === c.ipOwner;
      if (same) return null;
      const [seq] = await this.ctx.allocate(tx, new Map([[row.account_id, 1]]));
      await tx`UPDATE events SET verdict = ${c.verdict}, reasons = ${JSON.stringify(c.reasons)}, ip_owner = ${c.ipOwner},
        seq = ${seq!.first} WHERE id = ${eventId}`;
      await this.ctx.notifyCommit(tx, [row.account_id]);
      return row.account_id;
    });
    if (account === null) return false;
    this.ctx.changed.emit({ kind: 'account', accountId: account });
    this.ctx.emit(account);
    return true;
  }

  /**
   * Issue 19 (postgres/mailbox-signals.ts). Other instances hear the commit; here no `changed`
   * notice is needed: the hit writer's context leaves mailbox signals out (mailbox-rows.ts).
   */
  recordMailboxSignal(input: T.NewMailboxSignal): Promise<T.MailboxSignalOutcome> {
    return recordMailboxSignalPg(this.ctx, input, (tx, hit) => this.insertStatement(tx, [hit], [hit.accountId]));
  }

  onEventsChanged(listener: (change: T.EventsChange) => void): () => void {
    return this.ctx.changed.add(listener);
  }

  onCommitted(listener: (accountId: string) => void): () => void {
    return this.ctx.committed.add(listener);
  }
}

function iso(d: Date): string {
  return d.toISOString();
}
