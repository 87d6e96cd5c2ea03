import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
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
  EventsPageJson,
  MessageRecord,
  NewHit,
  NewMessage,
  NewUser,
  HitChange,
  MailboxSignalOutcome,
  NewMailboxSignal,
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
import { createSqliteMailboxSignals } from '../mailbox/sqlite';
import { HitWriterThread } from './worker-client';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';

/** address space, not memory: pages are only read in as they are touched */
const MMAP_BYTES = 4 * 1024 ** 3;

export interface SqliteStoreOptions {
  /** file path, or ':memory:' */
  file: string;
  /** FULL (default) survives power loss; NORMAL only process crashes */
  synchronous?: 'FULL' | 'NORMAL';
  senderIpTtlMs?: number;
  /** commit hits on a worker thread (default for files); off = on the calling thread */
  writerThread?: boolean;
}

interface AccountRow {
  id: string;
  name: string;
  created_at: string;
  tracking_enabled: number;
  shares_network_with_prospects: number;
}
interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  created_at: string;
}
type MessageRow = MessageRowBase<string, number>;
interface EventRow extends EventRowBase<string> {
  signals: string;
}

/** what the wire needs; the pull leaves out the raw signals (about half of each row) */
const WIRE_COLUMNS =
  'id, seq, type, message_id, recipient_email, occurred_at, detail, verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os';
const EVENT_COLUMNS = `${WIRE_COLUMNS}, signals`;
/**
 * An event's wire JSON built by SQLite, the same value rows.ts eventFromRow gives: json_patch
 * drops the optional client fields that are NULL (or empty), as eventFromRow leaves them out.
 */
const WIRE_JSON = `json_object('id', id, 'seq', seq, 'type', type, 'messageId', message_id,
  'recipientEmail', recipient_email, 'occurredAt', occurred_at, 'detail', json(detail),
  'client', json_patch(json_object('verdict', verdict, 'reasons', json(reasons), 'ipPrefix', ip_prefix),
    json_object('correctedFrom', NULLIF(corrected_from, ''), 'uaFamily', NULLIF(ua_family, ''), 'os', NULLIF(os, ''))))`;
const WIRE_JSON_ROW = `seq, ${WIRE_JSON}, CASE WHEN type LIKE 'landing.%' THEN message_id END`;
/** seq, wire JSON, the message id of a landing event (else null) */
type WireJsonRow = [number, string, string | null];

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  return new SqliteStore(opts);
}

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly listeners = new Set<(accountId: string) => void>();
  private readonly hitListeners = new Set<(change: HitChange) => void>();
  private readonly senderIpMemory: SenderIpMemory;
  private readonly s;
  private readonly writer: HitWriterThread | null;
  private readonly mailboxSignals: ReturnType<typeof createSqliteMailboxSignals>;

  constructor(opts: SqliteStoreOptions) {
    // full IPs, token hashes, the CSRF key: 0600, and so its -wal/-shm (src-shared/private-fs.ts)
    preparePrivateSqlite(opts.file);
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // pulls read whole event rows in seq order: through a memory map the pages come straight from
    // the OS cache instead of one read() each into SQLite's own 2 MB cache
    this.db.pragma('cache_size = -65536');
    this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
    migrate(this.db);
    this.writer =
      opts.file !== ':memory:' && opts.writerThread !== false
        ? new HitWriterThread(opts.file, opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL')
        : null;
    // the writer thread checkpoints; a commit here (a registration) must not run one inline
    if (this.writer) this.db.pragma('wal_autocheckpoint = 0');
    this.senderIpMemory = new SenderIpMemory(opts.senderIpTtlMs);
    this.mailboxSignals = createSqliteMailboxSignals(this.db);
    const db = this.db;
    this.s = {
      insertAccount: db.prepare('INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)'),
      getAccount: db.prepare<[string], AccountRow>(
        'SELECT id, name, created_at, tracking_enabled, shares_network_with_prospects FROM accounts WHERE id = ?',
      ),
      setTracking: db.prepare('UPDATE accounts SET tracking_enabled = ? WHERE id = ?'),
      setSharesNetwork: db.prepare('UPDATE accounts SET shares_network_with_prospects = ? WHERE id = ?'),
      nextSeq: db.prepare<[string], { last_seq: number }>(
        'UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
      ),
      insertUser: db.prepare(
        'INSERT INTO users (id, account_id, email, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      userByTokenHash: db.prepare<[string], UserRow>(
        'SELECT id, account_id, email, name, role, created_at FROM users WHERE token_hash = ?',
      ),
      messageByClientId: db.prepare<[string, string], MessageRow>(
        'SELECT * FROM messages WHERE user_id = ? AND client_id = ?',
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertTracker: db.prepare(
        'INSERT INTO trackers (token, message_id, position, recipient_email, recipient_name) VALUES (?, ?, ?, ?, ?)',
      ),
      trackersOf: db.prepare<[string], { token: string; recipient_email: string | null }>(
        'SELECT token, recipient_email FROM trackers WHERE message_id = ? ORDER BY position',
      ),
      resolve: db.prepare<
        [string],
        {
          token: string;
          recipient_email: string | null;
          message_id: string;
          account_id: string;
          user_id: string;
          links: string;
          created_at: string;
        }
      >(
        `SELECT t.token, t.recipient_email, m.id AS message_id, m.account_id, m.user_id, m.links, m.created_at
         FROM trackers t JOIN messages m ON m.id = t.message_id WHERE t.token = ?`,
      ),
      messageMeta: db.prepare<[string], { created_at: string; links: string }>(
        'SELECT created_at, links FROM messages WHERE id = ?',
      ),
      messageOwner: db.prepare<[string], { user_id: string }>('SELECT user_id FROM messages WHERE id = ?'),
      insertEvent: db.prepare(
        `INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
           verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
      ),
      recentHits: db.prepare<[string, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE message_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      ),
      messagesWithHits: db.prepare<[], { message_id: string }>(
        'SELECT DISTINCT message_id FROM events ORDER BY message_id',
      ),
      eventsAdmin: db.prepare<[string, number, number], EventRowBase<string>>(
        `SELECT ${WIRE_COLUMNS} FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      eventsAgent: db.prepare<[string, string, number, number], EventRowBase<string>>(
        `SELECT ${WIRE_COLUMNS} FROM events WHERE account_id = ? AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      eventsJsonAdmin: db
        .prepare<[string, number, number], WireJsonRow>(
          `SELECT ${WIRE_JSON_ROW} FROM events WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
        )
        .raw(true),
      eventsJsonAgent: db
        .prepare<[string, string, number, number], WireJsonRow>(
          `SELECT ${WIRE_JSON_ROW} FROM events WHERE account_id = ? AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
        )
        .raw(true),
      messagesAdmin: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      messagesAgent: db.prepare<[string, string, number, number], MessageRow>(
        'SELECT * FROM messages WHERE account_id = ? AND user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      eventForViewer: db.prepare<[string, string], EventRow & { user_id: string; account_id: string }>(
        `SELECT ${EVENT_COLUMNS}, user_id, account_id FROM events WHERE id = ? AND account_id = ?`,
      ),
      eventById: db.prepare<[string], EventRow & { account_id: string }>(
        `SELECT ${EVENT_COLUMNS}, account_id FROM events WHERE id = ?`,
      ),
      setVerdict: db.prepare('UPDATE events SET verdict = ?, corrected_from = ?, seq = ? WHERE id = ?'),
      setClassification: db.prepare(
        'UPDATE events SET verdict = ?, reasons = ?, ip_owner = ?, seq = ? WHERE id = ?',
      ),
    };
  }

  async createAccount(input: { name: string }): Promise<AccountRecord> {
    const rec = { id: randomUUID(), name: input.name, createdAt: new Date().toISOString() };
    this.s.insertAccount.run(rec.id, rec.name, rec.createdAt);
    return rec;
  }

  async getAccount(accountId: string): Promise<AccountRecord | null> {
    const row = this.s.getAccount.get(accountId);
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
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
    this.s.insertUser.run(
      rec.id,
      rec.accountId,
      rec.email,
      rec.name,
      rec.role,
      input.tokenHash,
      rec.createdAt,
    );
    return rec;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const row = this.s.userByTokenHash.get(tokenHash);
    return row ? toUser(row) : null;
  }

  async getSettings(accountId: string): Promise<Settings> {
    const row = this.s.getAccount.get(accountId);
    return {
      trackingEnabled: row ? row.tracking_enabled === 1 : false,
      sharesNetworkWithProspects: row ? row.shares_network_with_prospects === 1 : false,
    };
  }

  async putSettings(accountId: string, update: Partial<Settings>): Promise<Settings> {
    if (update.trackingEnabled !== undefined)
      this.s.setTracking.run(update.trackingEnabled ? 1 : 0, accountId);
    if (update.sharesNetworkWithProspects !== undefined)
      this.s.setSharesNetwork.run(update.sharesNetworkWithProspects ? 1 : 0, accountId);
    return this.getSettings(accountId);
  }

  async registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }> {
    const tx = this.db.transaction((): { created: boolean; row: MessageRow } => {
      const existing = this.s.messageByClientId.get(input.userId, input.clientId);
      if (existing) return { created: false, row: existing };
      const seq = this.nextSeq(input.accountId);
      const id = randomUUID();
      this.s.insertMessage.run(
        id,
        input.accountId,
        input.userId,
        input.clientId,
        input.subject,
        input.sentIndividually ? 1 : 0,
        JSON.stringify(input.recipients),
        JSON.stringify(input.links),
        input.createdAt,
        seq,
      );
      input.trackers.forEach((t, i) =>
        this.s.insertTracker.run(t.token, id, i, t.recipientEmail, t.recipientName),
      );
      const row = this.s.messageByClientId.get(input.userId, input.clientId);
      if (!row) throw new Error('message vanished inside its own transaction');
      return { created: true, row };
    });
    const { created, row } = tx.immediate();
    if (created) this.emit(input.accountId);
    const trackers = this.s.trackersOf
      .all(row.id)
      .map((t) => ({ token: t.token, recipientEmail: t.recipient_email }));
    return { created, message: { ...toMessage(row), links: JSON.parse(row.links) as string[], trackers } };
  }

  async getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null> {
    const row = this.s.messageMeta.get(messageId);
    return row ? { sentAt: row.created_at, linkCount: (JSON.parse(row.links) as string[]).length } : null;
  }

  async resolveToken(token: string): Promise<ResolvedToken | null> {
    const row = this.s.resolve.get(token);
    if (!row) return null;
    return {
      token: row.token,
      accountId: row.account_id,
      messageId: row.message_id,
      userId: row.user_id,
      recipientEmail: row.recipient_email,
      links: JSON.parse(row.links) as string[],
      sentAt: row.created_at,
    };
  }

  async recordHits(batch: readonly NewHit[], revisions: readonly Revision[] = []): Promise<StoredHitRef[]> {
    if (batch.length === 0 && revisions.length === 0) return [];
    if (!this.db.open) throw new Error('store closed');
    if (this.writer) {
      const { refs, accounts } = await this.writer.write(batch, revisions);
      for (const a of accounts) this.emit(a);
      return refs;
    }
    const accounts = new Set<string>();
    const tx = this.db.transaction((): StoredHitRef[] => {
      const owners = new Map<string, string>();
      const refs = batch.map((h) => {
        let owner = owners.get(h.messageId);
        if (owner === undefined) {
          const row = this.s.messageOwner.get(h.messageId);
          if (!row) throw new Error(`unknown message ${h.messageId}`);
          owner = row.user_id;
          owners.set(h.messageId, owner);
        }
        const seq = this.nextSeq(h.accountId);
        accounts.add(h.accountId);
        this.s.insertEvent.run(
          h.id,
          h.accountId,
          owner,
          h.messageId,
          h.token,
          seq,
          h.type,
          h.recipientEmail,
          h.occurredAt,
          JSON.stringify(h.detail),
          h.classification.verdict,
          JSON.stringify(h.classification.reasons),
          h.classification.ipOwner,
          h.signals.ipPrefix,
          h.uaFamily,
          h.os,
          JSON.stringify(h.signals),
        );
        return { id: h.id, seq };
      });
      for (const r of revisions) {
        const row = this.s.eventById.get(r.eventId);
        if (!row || row.corrected_from !== null) continue;
        if (row.verdict === r.verdict && row.reasons === JSON.stringify(r.reasons)) continue;
        const seq = this.nextSeq(row.account_id);
        accounts.add(row.account_id);
        this.s.setClassification.run(r.verdict, JSON.stringify(r.reasons), row.ip_owner, seq, r.eventId);
      }
      return refs;
    });
    const refs = tx.immediate();
    for (const a of accounts) this.emit(a);
    return refs;
  }

  async listHitsForMessage(messageId: string, limit = 1_000_000): Promise<StoredHit[]> {
    return this.s.recentHits.all(messageId, limit).reverse().map(storedHitFromRow);
  }

  async listMessageIdsWithHits(messageId?: string): Promise<string[]> {
    const all = this.s.messagesWithHits.all().map((r) => r.message_id);
    return messageId === undefined ? all : all.filter((m) => m === messageId);
  }

  async pullEvents(viewer: Viewer, after: number, limit: number): Promise<EventsPage> {
    const { events, messages } = this.readPage(viewer, after, limit, this.s.eventsAdmin, this.s.eventsAgent);
    const merged: ({ seq: number } & ({ e: EventRowBase<string> } | { m: MessageRow }))[] = [
      ...events.map((e) => ({ seq: e.seq, e })),
      ...messages.map((m) => ({ seq: m.seq, m })),
    ].sort((a, b) => a.seq - b.seq);
    const page = merged.slice(0, limit);
    const out: EventsPage = { events: [], messages: [], next: after };
    for (const item of page) {
      if ('e' in item) out.events.push(toEvent(item.e));
      else out.messages.push({ ...toMessageSummary(item.m), seq: item.m.seq });
      out.next = item.seq;
    }
    return out;
  }

  async pullEventsJson(viewer: Viewer, after: number, limit: number): Promise<EventsPageJson> {
    const { events, messages } = this.readPage(
      viewer,
      after,
      limit,
      this.s.eventsJsonAdmin,
      this.s.eventsJsonAgent,
    );
    const out: EventsPageJson = { events: [], landing: [], messages: [], next: after };
    // both lists are in seq order: merged, the page is the first `limit` of either
    let e = 0;
    let m = 0;
    for (let n = 0; n < limit; n++) {
      const ev = events[e];
      const msg = messages[m];
      if (ev && (!msg || ev[0] < msg.seq)) {
        if (ev[2] !== null) out.landing.push({ index: out.events.length, messageId: ev[2] });
        out.events.push(ev[1]);
        out.next = ev[0];
        e++;
      } else if (msg) {
        out.messages.push({ ...toMessageSummary(msg), seq: msg.seq });
        out.next = msg.seq;
        m++;
      } else break;
    }
    return out;
  }

  /**
   * The viewer's events (read by the given admin or agent statement) and message registrations
   * after `after`, both from ONE read transaction, so they come from the same snapshot and merge
   * by seq without a gap.
   */
  private readPage<R>(
    viewer: Viewer,
    after: number,
    limit: number,
    admin: Database.Statement<[string, number, number], R>,
    agent: Database.Statement<[string, string, number, number], R>,
  ): { events: R[]; messages: MessageRow[] } {
    const read = this.db.transaction(() => ({
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

  async updateVerdict(viewer: Viewer, eventId: string, verdict: Verdict): Promise<TrackingEvent | null> {
    const tx = this.db.transaction((): EventRow | null => {
      const row = this.s.eventForViewer.get(eventId, viewer.accountId);
      if (!row || (viewer.role !== 'admin' && row.user_id !== viewer.id)) return null;
      const original = (row.corrected_from ?? row.verdict) as Verdict;
      const seq = this.nextSeq(viewer.accountId);
      this.s.setVerdict.run(verdict, verdict === original ? null : original, seq, eventId);
      return this.s.eventById.get(eventId) ?? null;
    });
    const row = tx.immediate();
    if (!row) return null;
    this.emit(viewer.accountId);
    this.emitHitChange(row);
    return toEvent(row);
  }

  async updateClassification(eventId: string, c: StoredClassification): Promise<boolean> {
    const tx = this.db.transaction((): (EventRow & { account_id: string }) | null => {
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
    this.emit(row.account_id);
    this.emitHitChange(row);
    return true;
  }

  async recordSenderIp(userId: string, ip: string, at: Date): Promise<void> {
    this.senderIpMemory.record(userId, ip, at);
  }

  async senderIps(userId: string, since: Date): Promise<string[]> {
    return this.senderIpMemory.list(userId, since);
  }

  /** issue 19: store/mailbox/sqlite.ts */
  async recordMailboxSignal(input: NewMailboxSignal): Promise<MailboxSignalOutcome> {
    if (!this.db.open) throw new Error('store closed');
    const r = this.mailboxSignals(input);
    if (r.outcome === 'created') this.emit(input.viewer.accountId);
    return r;
  }

  onHitsChanged(listener: (change: HitChange) => void): () => void {
    this.hitListeners.add(listener);
    return () => this.hitListeners.delete(listener);
  }

  onCommitted(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.hitListeners.clear();
    await this.writer?.close();
    if (this.db.open) this.db.close();
  }

  private nextSeq(accountId: string): number {
    const row = this.s.nextSeq.get(accountId);
    if (!row) throw new Error(`unknown account ${accountId}`);
    return row.last_seq;
  }

  private emitHitChange(row: EventRow): void {
    const change: HitChange = {
      messageId: row.message_id,
      eventId: row.id,
      verdict: row.verdict as Verdict,
      reasons: JSON.parse(row.reasons) as string[],
      corrected: row.corrected_from !== null,
    };
    for (const l of this.hitListeners) {
      try {
        l(change);
      } catch {
        // a listener's failure must not undo or hide a commit
      }
    }
  }

  private emit(accountId: string): void {
    for (const l of this.listeners) {
      try {
        l(accountId);
      } catch {
        // a listener's failure must not undo or hide a commit
      }
    }
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
  };
}

function toMessage(row: MessageRow): Omit<MessageRecord, 'links' | 'trackers'> {
  return {
    id: row.id,
    accountId: row.account_id,
    userId: row.user_id,
    clientId: row.client_id,
    subject: row.subject,
    sentIndividually: row.sent_individually === 1,
    recipients: JSON.parse(row.recipients) as Recipient[],
    createdAt: row.created_at,
    seq: row.seq,
  };
}

function toMessageSummary(row: MessageRow): MessageSummary {
  return messageSummaryFromRow(row, same, (b) => b === 1);
}

function toEvent(r: EventRowBase<string>): TrackingEvent {
  return eventFromRow(r, same);
}

function same(t: string): string {
  return t;
}
