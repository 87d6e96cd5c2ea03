import { randomUUID } from 'node:crypto';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import {
  eventFromRow,
  messageSummaryFromRow,
  storedHitFromRow,
  type EventRowBase,
  type MessageRowBase,
} from '../rows';
import type { MessageSummary, Recipient, Settings } from '../../../src-shared/api';
import type { TrackingEvent, Verdict } from '../../../src-shared/events';
import { SenderIpMemory } from '../sender-ips';
import type {
  AccountRecord,
  EventsPage,
  MailboxSignalOutcome,
  MessageRecord,
  NewMailboxSignal,
  NewHit,
  NewMessage,
  NewUser,
  ResolvedToken,
  Revision,
  Store,
  StoredClassification,
  StoredHit,
  StoredHitRef,
  UserRecord,
  Viewer,
} from '../types';
import { migrate } from './migrate';
import { recordMailboxSignalPg } from '../mailbox/postgres';
import { channelFor, parseNotice, senderIpNotice, commitNotice } from './notify';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/db; `?search_path=schema` selects a schema (tests use one each) */
  url: string;
  /** pool size (default 10, or `?max=` in the URL) */
  max?: number;
  senderIpTtlMs?: number;
  /** how long a failed connection attempt may take before the request fails, seconds (default 5) */
  connectTimeoutS?: number;
}

interface AccountRow {
  id: string;
  name: string;
  created_at: Date;
  tracking_enabled: boolean;
}
interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  created_at: Date;
}
type MessageRow = MessageRowBase<Date, boolean>;
type EventRow = EventRowBase<Date>;
interface FullEventRow extends EventRow {
  signals: string;
  account_id: string;
  user_id: string;
}
/** one row of the pull's UNION: an event or a message registration */
type PullRow = ({ kind: 'e' } & EventRow) | ({ kind: 'm' } & MessageRow);

/** most hits in one insert statement (its arrays are 16 parameters, whatever the count) */
const MAX_STATEMENT_HITS = 5000;

interface QueuedWrite {
  batch: readonly NewHit[];
  revisions: readonly Revision[];
  resolve(refs: StoredHitRef[]): void;
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

async function settle(w: QueuedWrite, run: () => Promise<StoredHitRef[]>): Promise<void> {
  try {
    w.resolve(await run());
  } catch (e) {
    w.reject(e);
  }
}

/** a sender IP is shared with the other instances at most this often */
const SENDER_IP_SHARE_MS = 60_000;

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const schema = new URL(opts.url).searchParams.get('search_path') ?? 'public';
  const sql = postgres(opts.url, {
    max: opts.max ?? (Number(new URL(opts.url).searchParams.get('max')) || 10),
    connect_timeout: opts.connectTimeoutS ?? 5,
    // Seconds before the next connection attempt after the database went away. postgres.js
    // grows it up to 20 s; the LISTEN connection (which inherits this) then came back up to 20 s
    // after the database did, and other instances' streams stayed asleep that long. At most 2 s:
    // one attempt per connection every 2 s is no load on a database that is starting up.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    onnotice: () => {},
    types: {
      // seqs are BIGINT; numbers stay exact up to 2^53
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
  try {
    await migrate(sql);
  } catch (e) {
    await sql.end({ timeout: 1 });
    throw e;
  }
  const store = new PostgresStore(sql, schema, opts.senderIpTtlMs);
  await store.listen();
  return store;
}

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly listeners = new Set<(accountId: string) => void>();
  private readonly externalListeners = new Set<(accountId: string | null) => void>();
  private readonly writes: QueuedWrite[] = [];
  private writing = false;
  private readonly senderIpMemory: SenderIpMemory;
  private readonly instance = randomUUID().slice(0, 8);
  private readonly channel: string;
  private readonly sharedIps = new Map<string, number>();
  /** accounts this instance has seen commit; woken after the listener reconnects */
  private readonly knownAccounts = new Set<string>();
  private unlisten: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly sql: Sql,
    schema: string,
    senderIpTtlMs?: number,
  ) {
    this.senderIpMemory = new SenderIpMemory(senderIpTtlMs);
    this.channel = channelFor(schema);
  }

  /** LISTEN for other instances' commits; postgres.js re-LISTENs after a lost connection */
  async listen(): Promise<void> {
    let first = true;
    const meta = await this.sql.listen(
      this.channel,
      (payload) => {
        const n = parseNotice(payload);
        if (!n || n.instance === this.instance) return;
        if (n.kind === 'commit') {
          for (const a of n.accounts) this.external(a);
          for (const a of n.accounts) this.emit(a);
        } else {
          this.senderIpMemory.record(n.userId, n.ip, new Date(n.at));
        }
      },
      () => {
        // after a reconnect, commits may have happened unheard: wake every stream we know of
        if (!first) {
          this.external(null);
          for (const a of this.knownAccounts) this.emit(a);
        }
        first = false;
      },
    );
    this.unlisten = meta.unlisten;
  }

  async createAccount(input: { name: string }): Promise<AccountRecord> {
    const rec = { id: randomUUID(), name: input.name, createdAt: new Date().toISOString() };
    await this.sql.begin(async (tx) => {
      await tx`INSERT INTO accounts (id, name, created_at) VALUES (${rec.id}, ${rec.name}, ${rec.createdAt})`;
      await tx`INSERT INTO account_seq (account_id) VALUES (${rec.id})`;
    });
    return rec;
  }

  async getAccount(accountId: string): Promise<AccountRecord | null> {
    const [row] = await this.sql<
      AccountRow[]
    >`SELECT id, name, created_at, tracking_enabled FROM accounts WHERE id = ${accountId}`;
    return row ? { id: row.id, name: row.name, createdAt: row.created_at.toISOString() } : null;
  }

  async createUser(input: NewUser): Promise<UserRecord> {
    const rec: UserRecord = {
      id: randomUUID(),
      accountId: input.accountId,
      email: input.email,
      name: input.name,
      role: input.role,
      createdAt: new Date().toISOString(),
    };
    await this.sql`INSERT INTO users (id, account_id, email, name, role, token_hash, created_at)
      VALUES (${rec.id}, ${rec.accountId}, ${rec.email}, ${rec.name}, ${rec.role}, ${input.tokenHash}, ${rec.createdAt})`;
    return rec;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const [row] = await this.sql<UserRow[]>`
      SELECT id, account_id, email, name, role, created_at FROM users WHERE token_hash = ${tokenHash}`;
    return row ? toUser(row) : null;
  }

  async getSettings(accountId: string): Promise<Settings> {
    const [row] = await this.sql<{ tracking_enabled: boolean; shares_network_with_prospects: boolean }[]>`
      SELECT tracking_enabled, shares_network_with_prospects FROM accounts WHERE id = ${accountId}`;
    return {
      trackingEnabled: row ? row.tracking_enabled : false,
      sharesNetworkWithProspects: row ? row.shares_network_with_prospects : false,
    };
  }

  async putSettings(accountId: string, update: Partial<Settings>): Promise<Settings> {
    if (update.trackingEnabled !== undefined) {
      await this
        .sql`UPDATE accounts SET tracking_enabled = ${update.trackingEnabled} WHERE id = ${accountId}`;
    }
    if (update.sharesNetworkWithProspects !== undefined) {
      await this.sql`UPDATE accounts SET shares_network_with_prospects = ${update.sharesNetworkWithProspects}
        WHERE id = ${accountId}`;
    }
    return this.getSettings(accountId);
  }

  async registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }> {
    const byClient = (tx: TransactionSql | Sql) => tx<MessageRow[]>`
      SELECT * FROM messages WHERE user_id = ${input.userId} AND client_id = ${input.clientId}`;
    const { created, row } = await this.sql
      .begin(async (tx): Promise<{ created: boolean; row: MessageRow }> => {
        // the seq lock first: two registrations of one clientId (another instance, a retry) queue here
        const [seq] = await this.allocate(tx, new Map([[input.accountId, 1]]));
        const [existing] = await byClient(tx);
        if (existing) {
          // give the number back by rolling back: no gap in the account's sequence
          throw new Existing(existing);
        }
        const id = randomUUID();
        await tx`INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
        VALUES (${id}, ${input.accountId}, ${input.userId}, ${input.clientId}, ${input.subject}, ${input.sentIndividually},
          ${JSON.stringify(input.recipients)}, ${JSON.stringify(input.links)}, ${input.createdAt}, ${seq!.first})`;
        if (input.trackers.length > 0) {
          await tx`INSERT INTO trackers (token, message_id, position, recipient_email, recipient_name)
          SELECT t.token, ${id}, t.position::int, t.email, t.name
          FROM unnest(${input.trackers.map((t) => t.token)}::text[], ${input.trackers.map((_, i) => String(i))}::text[],
            ${input.trackers.map((t) => t.recipientEmail)}::text[], ${input.trackers.map((t) => t.recipientName)}::text[])
            AS t(token, position, email, name)`;
        }
        await this.notifyCommit(tx, [input.accountId]);
        const [row] = await byClient(tx);
        if (!row) throw new Error('message vanished inside its own transaction');
        return { created: true, row };
      })
      .catch((e: unknown) => {
        if (e instanceof Existing) return { created: false, row: e.row };
        throw e;
      });
    if (created) this.emit(input.accountId);
    const trackers = await this.sql<{ token: string; recipient_email: string | null }[]>`
      SELECT token, recipient_email FROM trackers WHERE message_id = ${row.id} ORDER BY position`;
    return {
      created,
      message: {
        ...toMessage(row),
        links: JSON.parse(row.links) as string[],
        trackers: trackers.map((t) => ({ token: t.token, recipientEmail: t.recipient_email })),
      },
    };
  }

  async getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null> {
    const [row] = await this.sql<{ created_at: Date; links: string }[]>`
      SELECT created_at, links FROM messages WHERE id = ${messageId}`;
    return row
      ? { sentAt: row.created_at.toISOString(), linkCount: (JSON.parse(row.links) as string[]).length }
      : null;
  }

  async resolveToken(token: string): Promise<ResolvedToken | null> {
    const [row] = await this.sql<
      {
        token: string;
        recipient_email: string | null;
        message_id: string;
        account_id: string;
        user_id: string;
        links: string;
        created_at: Date;
      }[]
    >`SELECT t.token, t.recipient_email, m.id AS message_id, m.account_id, m.user_id, m.links, m.created_at
      FROM trackers t JOIN messages m ON m.id = t.message_id WHERE t.token = ${token}`;
    if (!row) return null;
    return {
      token: row.token,
      accountId: row.account_id,
      messageId: row.message_id,
      userId: row.user_id,
      recipientEmail: row.recipient_email,
      links: JSON.parse(row.links) as string[],
      sentAt: row.created_at.toISOString(),
    };
  }

  recordHits(batch: readonly NewHit[], revisions: readonly Revision[] = []): Promise<StoredHitRef[]> {
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
        let refs: StoredHitRef[];
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

  private async recordWithRevisions(
    batch: readonly NewHit[],
    revisions: readonly Revision[],
  ): Promise<StoredHitRef[]> {
    const { refs, accounts } = await this.sql.begin(async (tx) => {
      // which revisions change something; the rows are locked so a concurrent correction waits
      const targets =
        revisions.length === 0
          ? []
          : await tx<
              {
                id: string;
                account_id: string;
                verdict: string;
                reasons: string;
                corrected_from: string | null;
              }[]
            >`
              SELECT id, account_id, verdict, reasons, corrected_from FROM events
              WHERE id = ANY(${revisions.map((r) => r.eventId)}::text[]) ORDER BY id FOR UPDATE`;
      const byId = new Map(targets.map((t) => [t.id, t]));
      const changed: { rev: Revision; accountId: string }[] = [];
      for (const r of revisions) {
        const t = byId.get(r.eventId);
        if (!t || t.corrected_from !== null) continue;
        if (t.verdict === r.verdict && t.reasons === JSON.stringify(r.reasons)) continue;
        changed.push({ rev: r, accountId: t.account_id });
      }
      const counts = new Map<string, number>();
      for (const h of batch) counts.set(h.accountId, (counts.get(h.accountId) ?? 0) + 1);
      for (const c of changed) counts.set(c.accountId, (counts.get(c.accountId) ?? 0) + 1);
      const ranges = await this.allocate(tx, counts);
      const next = new Map(ranges.map((r) => [r.accountId, r.first]));
      const take = (accountId: string): number => {
        const s = next.get(accountId);
        if (s === undefined) throw new Error(`no sequence allocated for account ${accountId}`);
        next.set(accountId, s + 1);
        return s;
      };
      const refs = batch.map((h) => ({ id: h.id, seq: take(h.accountId) }));
      if (batch.length > 0) {
        const col = <T>(f: (h: NewHit, i: number) => T): T[] => batch.map(f);
        // user_id from the message row: see insertHits
        await tx`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at,
            detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals)
          SELECT t.id, t.account_id, m.user_id, t.message_id, t.token, t.seq::bigint, t.type, t.recipient_email,
            t.occurred_at::timestamptz, t.detail, t.verdict, t.reasons, t.ip_owner, t.ip_prefix, t.ua_family, t.os, t.signals
          FROM unnest(${col((h) => h.id)}::text[], ${col((h) => h.accountId)}::text[],
            ${col((h) => h.messageId)}::text[],
            ${col((h) => h.token)}::text[], ${col((_, i) => String(refs[i]!.seq))}::text[], ${col((h) => h.type)}::text[],
            ${col((h) => h.recipientEmail)}::text[], ${col((h) => h.occurredAt)}::text[],
            ${col((h) => JSON.stringify(h.detail))}::text[], ${col((h) => h.classification.verdict)}::text[],
            ${col((h) => JSON.stringify(h.classification.reasons))}::text[], ${col((h) => h.classification.ipOwner)}::text[],
            ${col((h) => h.signals.ipPrefix)}::text[], ${col((h) => h.uaFamily)}::text[], ${col((h) => h.os)}::text[],
            ${col((h) => JSON.stringify(h.signals))}::text[])
          AS t(id, account_id, message_id, token, seq, type, recipient_email, occurred_at,
            detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals)
          LEFT JOIN messages m ON m.id = t.message_id AND m.account_id = t.account_id`;
      }
      for (const c of changed) {
        await tx`UPDATE events SET verdict = ${c.rev.verdict}, reasons = ${JSON.stringify(c.rev.reasons)}, seq = ${take(c.accountId)}
          WHERE id = ${c.rev.eventId}`;
      }
      const accounts = [...counts.keys()];
      await this.notifyCommit(tx, accounts);
      return { refs, accounts };
    });
    for (const a of accounts) this.emit(a);
    return refs;
  }

  /**
   * The common case, a batch without revisions: ONE statement, so one round trip and one WAL
   * flush, committed on its own (autocommit) on any pooled connection. It locks the batch's
   * accounts in a fixed order (writers never deadlock), takes their seqs, inserts the rows and
   * queues the notification; if any part fails, nothing of the batch is stored.
   *
   * It used to be BEGIN, the locks, the write and COMMIT pipelined on a reserved connection.
   * postgres.js (3.4.9, porsager/postgres#1208) throws an uncatchable TypeError from a
   * setImmediate when a reserved connection's backend dies under it: the collector crashed in
   * the outage test once batches reached that path during an outage.
   */
  private async insertHits(batch: readonly NewHit[]): Promise<StoredHitRef[]> {
    const accounts = [...new Set(batch.map((h) => h.accountId))].sort();
    const payloads: string[] = [];
    for (let i = 0; i < accounts.length; i += 100)
      payloads.push(commitNotice(this.instance, accounts.slice(i, i + 100)));
    const col = <T>(f: (h: NewHit) => T): T[] => batch.map(f);
    const stored = await this.sql<{ id: string; seq: number }[]>`
        WITH input AS (
          SELECT * FROM unnest(${col((h) => h.id)}::text[], ${col((h) => h.accountId)}::text[],
            ${col((h) => h.messageId)}::text[],
            ${col((h) => h.token)}::text[], ${col((h) => h.type)}::text[], ${col((h) => h.recipientEmail)}::text[],
            ${col((h) => h.occurredAt)}::text[], ${col((h) => JSON.stringify(h.detail))}::text[],
            ${col((h) => h.classification.verdict)}::text[], ${col((h) => JSON.stringify(h.classification.reasons))}::text[],
            ${col((h) => h.classification.ipOwner)}::text[], ${col((h) => h.signals.ipPrefix)}::text[],
            ${col((h) => h.uaFamily)}::text[], ${col((h) => h.os)}::text[], ${col((h) => JSON.stringify(h.signals))}::text[])
            WITH ORDINALITY AS t(id, account_id, message_id, token, type, recipient_email, occurred_at,
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
          INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at,
            detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals)
          SELECT i.id, i.account_id, m.user_id, i.message_id, i.token,
            b.base + row_number() OVER (PARTITION BY i.account_id ORDER BY i.ord), i.type, i.recipient_email,
            i.occurred_at::timestamptz, i.detail, i.verdict, i.reasons, i.ip_owner, i.ip_prefix, i.ua_family, i.os, i.signals
          -- LEFT JOINs: a hit whose account has no sequence row gets a NULL seq, and one whose
          -- message is unknown or of another account a NULL user (migration 002 took the foreign
          -- keys' place with this); either fails the statement and the whole batch
          FROM input i LEFT JOIN bumped b ON b.account_id = i.account_id
            LEFT JOIN messages m ON m.id = i.message_id AND m.account_id = i.account_id
          RETURNING id, seq
        ),
        notified AS (SELECT pg_notify(${this.channel}, p) FROM unnest(${payloads}::text[]) AS p)
        SELECT id, seq FROM ins WHERE (SELECT count(*) FROM notified) >= 0`;
    const seqOf = new Map(stored.map((r) => [r.id, r.seq]));
    for (const a of accounts) this.emit(a);
    return batch.map((h) => ({ id: h.id, seq: seqOf.get(h.id)! }));
  }

  async listHitsForMessage(messageId: string, limit = 1_000_000): Promise<StoredHit[]> {
    const rows = await this.sql<FullEventRow[]>`
      SELECT id, seq, message_id, signals, verdict, reasons, ip_owner, corrected_from FROM events
      WHERE message_id = ${messageId} ORDER BY occurred_at DESC, id DESC LIMIT ${limit}`;
    return rows.reverse().map(storedHitFromRow);
  }

  async listMessageIdsWithHits(messageId?: string): Promise<string[]> {
    const rows =
      messageId === undefined
        ? await this.sql<{ message_id: string }[]>`SELECT DISTINCT message_id FROM events ORDER BY message_id`
        : await this.sql<{ message_id: string }[]>`
            SELECT DISTINCT message_id FROM events WHERE message_id = ${messageId}`;
    return rows.map((r) => r.message_id);
  }

  async pullEvents(viewer: Viewer, after: number, limit: number): Promise<EventsPage> {
    const sql = this.sql;
    const own = viewer.role === 'admin' ? sql`` : sql`AND user_id = ${viewer.id}`;
    // one statement, so events and registrations come from one snapshot and merge by seq
    const rows = await sql<PullRow[]>`
      (SELECT 'e' AS kind, seq, id, type, message_id, recipient_email, occurred_at, detail, verdict, reasons,
          corrected_from, ip_owner, ip_prefix, ua_family, os,
          NULL::text AS account_id, NULL::text AS user_id, NULL::text AS client_id, NULL::text AS subject,
          NULL::boolean AS sent_individually, NULL::text AS recipients, NULL::text AS links, NULL::timestamptz AS created_at
        FROM events WHERE account_id = ${viewer.accountId} ${own} AND seq > ${after} ORDER BY seq LIMIT ${limit})
      UNION ALL
      (SELECT 'm', seq, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
          account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at
        FROM messages WHERE account_id = ${viewer.accountId} ${own} AND seq > ${after} ORDER BY seq LIMIT ${limit})
      ORDER BY seq LIMIT ${limit}`;
    const out: EventsPage = { events: [], messages: [], next: after };
    for (const r of rows) {
      if (r.kind === 'e') out.events.push(toEvent(r));
      else out.messages.push({ ...toMessageSummary(r), seq: r.seq });
      out.next = r.seq;
    }
    return out;
  }

  async updateVerdict(viewer: Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null> {
    const row = await this.sql.begin(async (tx): Promise<EventRow | null> => {
      const [row] = await tx<FullEventRow[]>`
        SELECT ${tx(EVENT_COLUMNS)}, user_id, account_id FROM events
        WHERE id = ${eventId} AND account_id = ${viewer.accountId} FOR UPDATE`;
      if (!row || (viewer.role !== 'admin' && row.user_id !== viewer.id)) return null;
      const original = (row.corrected_from ?? row.verdict) as Verdict;
      const [seq] = await this.allocate(tx, new Map([[viewer.accountId, 1]]));
      const [updated] = await tx<EventRow[]>`
        UPDATE events SET verdict = ${verdict}, corrected_from = ${verdict === original ? null : original}, seq = ${seq!.first}
        WHERE id = ${eventId} RETURNING ${tx(EVENT_COLUMNS)}`;
      await this.notifyCommit(tx, [viewer.accountId]);
      return updated ?? null;
    });
    if (!row) return null;
    this.external(viewer.accountId);
    this.emit(viewer.accountId);
    return toEvent(row);
  }

  async updateClassification(eventId: string, c: StoredClassification): Promise<boolean> {
    const account = await this.sql.begin(async (tx): Promise<string | null> => {
      const [row] = await tx<FullEventRow[]>`
        SELECT verdict, reasons, ip_owner, account_id FROM events WHERE id = ${eventId}`;
      if (!row) return null;
      const same =
        row.verdict === c.verdict && row.reasons === JSON.stringify(c.reasons) && row.ip_owner === c.ipOwner;
      if (same) return null;
      const [seq] = await this.allocate(tx, new Map([[row.account_id, 1]]));
      await tx`UPDATE events SET verdict = ${c.verdict}, reasons = ${JSON.stringify(c.reasons)}, ip_owner = ${c.ipOwner},
        seq = ${seq!.first} WHERE id = ${eventId}`;
      await this.notifyCommit(tx, [row.account_id]);
      return row.account_id;
    });
    if (account === null) return false;
    this.external(account);
    this.emit(account);
    return true;
  }

  async recordSenderIp(userId: string, ip: string, at: Date): Promise<void> {
    this.senderIpMemory.record(userId, ip, at);
    // full IPs are never written to a table: other instances learn them through a notification
    const key = `${userId}\n${ip}`;
    const last = this.sharedIps.get(key);
    if (last !== undefined && at.getTime() - last < SENDER_IP_SHARE_MS) return;
    if (this.sharedIps.size > 100_000) this.sharedIps.clear();
    this.sharedIps.set(key, at.getTime());
    try {
      await this.sql.notify(this.channel, senderIpNotice(this.instance, userId, ip, at));
    } catch {
      // sharing is best effort; this instance still knows the address
      this.sharedIps.delete(key);
    }
  }

  async senderIps(userId: string, since: Date): Promise<string[]> {
    return this.senderIpMemory.list(userId, since);
  }

  /** issue 19: store/mailbox/postgres.ts */
  async recordMailboxSignal(input: NewMailboxSignal): Promise<MailboxSignalOutcome> {
    const r = await recordMailboxSignalPg(this.sql, input, {
      allocate: async (tx, accountId) => (await this.allocate(tx, new Map([[accountId, 1]])))[0]!.first,
      notifyCommit: (tx, accountId) => this.notifyCommit(tx, [accountId]),
    });
    if (r.outcome === 'created') {
      this.external(input.viewer.accountId);
      this.emit(input.viewer.accountId);
    }
    return r;
  }

  onExternalWrites(listener: (accountId: string | null) => void): () => void {
    this.externalListeners.add(listener);
    return () => this.externalListeners.delete(listener);
  }

  onCommitted(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.externalListeners.clear();
    try {
      await this.unlisten?.();
    } catch {
      // the connection may already be gone
    }
    await this.sql.end({ timeout: 2 });
  }

  /**
   * Takes `n` numbers of each account's sequence under the account's row lock, which is held
   * until this transaction ends: writers of one account run one after the other, so a number is
   * visible only after every smaller one is. Accounts are locked in a fixed order (no deadlock).
   */
  private async allocate(
    tx: TransactionSql,
    counts: ReadonlyMap<string, number>,
  ): Promise<{ accountId: string; first: number }[]> {
    const out: { accountId: string; first: number }[] = [];
    for (const accountId of [...counts.keys()].sort()) {
      const n = counts.get(accountId)!;
      const [row] = await tx<{ last_seq: number }[]>`
        UPDATE account_seq SET last_seq = last_seq + ${n} WHERE account_id = ${accountId} RETURNING last_seq`;
      if (!row) throw new Error(`unknown account ${accountId}`);
      out.push({ accountId, first: row.last_seq - n + 1 });
    }
    return out;
  }

  /** delivered by PostgreSQL at commit, and only if the transaction commits */
  private async notifyCommit(tx: TransactionSql, accounts: readonly string[]): Promise<void> {
    for (const a of accounts) this.rememberAccount(a);
    // a payload holds at most 8000 bytes: 100 account ids per notification stay well below
    const payloads: string[] = [];
    for (let i = 0; i < accounts.length; i += 100)
      payloads.push(commitNotice(this.instance, accounts.slice(i, i + 100)));
    await tx`SELECT pg_notify(${this.channel}, p) FROM unnest(${payloads}::text[]) AS p`;
  }

  private rememberAccount(accountId: string): void {
    if (this.knownAccounts.size >= 10_000) this.knownAccounts.clear();
    this.knownAccounts.add(accountId);
  }

  private external(accountId: string | null): void {
    for (const l of this.externalListeners) {
      try {
        l(accountId);
      } catch {
        // a listener's failure must not undo or hide a commit
      }
    }
  }

  private emit(accountId: string): void {
    this.rememberAccount(accountId);
    for (const l of this.listeners) {
      try {
        l(accountId);
      } catch {
        // a listener's failure must not undo or hide a commit
      }
    }
  }
}

/** rolls back a registration whose clientId exists, carrying the stored row out */
class Existing extends Error {
  constructor(readonly row: MessageRow) {
    super('message exists');
  }
}

const EVENT_COLUMNS = [
  'id',
  'seq',
  'type',
  'message_id',
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

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

function toMessage(row: MessageRow): Omit<MessageRecord, 'links' | 'trackers'> {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    clientId: row.client_id,
    subject: row.subject,
    sentIndividually: row.sent_individually,
    recipients: JSON.parse(row.recipients) as Recipient[],
    createdAt: row.created_at.toISOString(),
    seq: row.seq,
  };
}

function toMessageSummary(row: MessageRow): MessageSummary {
  return messageSummaryFromRow(row, iso, (b) => b);
}

function toEvent(r: EventRow): TrackingEvent {
  return eventFromRow(r, iso);
}

function iso(d: Date): string {
  return d.toISOString();
}
