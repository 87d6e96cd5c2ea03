import Database from 'better-sqlite3';
import { chainLink, GENESIS_LINK } from '../../../src-shared/evidence/canonical';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';
import type {
  ChainHead,
  EvidenceChainStore,
  NewChainEntry,
  PendingConfirmation,
  PendingOffer,
  RecordFilter,
  StoredChainEntry,
  StoredSignedHead,
} from './types';

interface SignedRow {
  position: number;
  link: string;
  head: string;
  signature: string;
  signed_at: string;
  tsa: string | null;
  response: string | null;
}

/**
 * The chain tables (collector migration 5) on a connection of their own to the collector's file;
 * BEGIN IMMEDIATE makes each append the only writer while it runs.
 *
 * MERGE (issue 15): reads the `accounts`, `messages`, `offers`, `offer_recipients`,
 * `offer_files` and `offer_evidence` tables read-only (marked "touch point" below).
 */
export function openSqliteEvidenceStore(opts: {
  file: string;
  synchronous?: 'FULL' | 'NORMAL';
}): EvidenceChainStore {
  return new SqliteEvidenceStore(opts.file, opts.synchronous ?? 'FULL');
}

class SqliteEvidenceStore implements EvidenceChainStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly s;
  private readonly hasOffers: boolean;
  private readonly synchronous: 'FULL' | 'NORMAL';

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    preparePrivateSqlite(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Appends need not survive a power loss: they are derived from committed events and roll back
    // together with the cursor, to be appended again. A signature is synced (signHead).
    this.db.pragma('synchronous = NORMAL');
    this.synchronous = synchronous;
    // the store's writer thread checkpoints (store/sqlite); a checkpoint here would stall its commits
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('busy_timeout = 10000');
    const db = this.db;
    const tableExists = (name: string): boolean =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    if (!tableExists('evidence_chain')) throw new Error('evidence tables missing: open the collector store first');
    this.hasOffers = tableExists('offer_evidence');
    this.s = {
      // touch point: the collector's accounts
      accounts: db.prepare<[], { id: string }>('SELECT id FROM accounts ORDER BY id'),
      head: db.prepare<[string], { position: number; link: string; event_seq: number }>(
        'SELECT position, link, event_seq FROM evidence_chain_heads WHERE account_id = ?',
      ),
      insertHead: db.prepare(
        'INSERT INTO evidence_chain_heads (account_id, position, link, event_seq, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET position = excluded.position, link = excluded.link, event_seq = excluded.event_seq, updated_at = excluded.updated_at',
      ),
      insertEntry: db.prepare(
        'INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link, appended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSubject: db.prepare(
        'INSERT OR IGNORE INTO evidence_chain_subjects (account_id, email, position) VALUES (?, ?, ?)',
      ),
      lastSigned: db.prepare<[string], SignedRow>(
        `SELECT h.position, h.link, h.head, h.signature, h.signed_at, t.tsa, t.response
           FROM evidence_signed_heads h LEFT JOIN evidence_head_timestamps t
             ON t.account_id = h.account_id AND t.position = h.position
          WHERE h.account_id = ? ORDER BY h.position DESC LIMIT 1`,
      ),
      signedFrom: db.prepare<[string, number], SignedRow>(
        `SELECT h.position, h.link, h.head, h.signature, h.signed_at, t.tsa, t.response
           FROM evidence_signed_heads h LEFT JOIN evidence_head_timestamps t
             ON t.account_id = h.account_id AND t.position = h.position
          WHERE h.account_id = ? AND h.position >= ? ORDER BY h.position`,
      ),
      insertSigned: db.prepare(
        'INSERT INTO evidence_signed_heads (account_id, position, link, head, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertTimestamp: db.prepare(
        'INSERT OR IGNORE INTO evidence_head_timestamps (account_id, position, tsa, response, added_at) VALUES (?, ?, ?, ?, ?)',
      ),
      hashes: db.prepare<[string, number, number], string>(
        'SELECT record_hash FROM evidence_chain WHERE account_id = ? AND position BETWEEN ? AND ? ORDER BY position',
      ),
      linkAt: db.prepare<[string, number], string>(
        'SELECT link FROM evidence_chain WHERE account_id = ? AND position = ?',
      ),
      // touch point: `messages.user_id` is the sender an agent must be
      about: db.prepare<
        { account: string; email: string; message: string | null; sender: string | null },
        { position: number; kind: string; record: string; record_hash: string }
      >(
        `SELECT c.position, c.kind, c.record, c.record_hash
           FROM evidence_chain_subjects s
           JOIN evidence_chain c ON c.account_id = s.account_id AND c.position = s.position
          WHERE s.account_id = @account AND s.email = @email
            AND (@message IS NULL OR c.message_id = @message)
            AND (@sender IS NULL OR c.message_id IN (SELECT id FROM messages WHERE user_id = @sender))
          ORDER BY c.position`,
      ),
    };
    for (const s of [this.s.hashes, this.s.linkAt]) s.pluck();
  }

  async accounts(): Promise<string[]> {
    return this.s.accounts.all().map((r) => r.id);
  }

  async head(accountId: string): Promise<ChainHead> {
    const r = this.s.head.get(accountId);
    return r ? { position: r.position, link: r.link, eventSeq: r.event_seq } : { position: 0, link: GENESIS_LINK, eventSeq: 0 };
  }

  async append(
    accountId: string,
    expectedPosition: number,
    entries: readonly NewChainEntry[],
    eventSeq: number,
  ): Promise<'ok' | 'moved'> {
    const tx = this.db.transaction((): 'ok' | 'moved' => {
      const h = this.s.head.get(accountId) ?? { position: 0, link: GENESIS_LINK, event_seq: 0 };
      if (h.position !== expectedPosition) return 'moved';
      const now = new Date().toISOString();
      let link = h.link;
      let position = h.position;
      for (const e of entries) {
        position++;
        link = chainLink(link, e.recordHash);
        this.s.insertEntry.run(accountId, position, e.ref, e.kind, e.messageId, e.record, e.recordHash, link, now);
        for (const email of e.subjects) this.s.insertSubject.run(accountId, email, position);
      }
      this.s.insertHead.run(accountId, position, link, Math.max(eventSeq, h.event_seq), now);
      return 'ok';
    });
    return tx.immediate();
  }

  async pendingOffers(accountId: string, limit: number): Promise<PendingOffer[]> {
    if (!this.hasOffers) return [];
    // touch point: the offer tables (read-only)
    const rows = this.db
      .prepare<[string, number], { id: string; message_id: string; property: string; created_at: string }>(
        `SELECT o.id, o.message_id, o.property, o.created_at FROM offers o
          WHERE o.account_id = ? AND NOT EXISTS (
            SELECT 1 FROM evidence_chain c WHERE c.account_id = o.account_id AND c.ref = 'offer:' || o.id)
          ORDER BY o.created_at, o.id LIMIT ?`,
      )
      .all(accountId, limit);
    const files = this.db.prepare<[string], Record<string, unknown>>(
      'SELECT id, role, name, content_type AS contentType, sha256, size FROM offer_files WHERE offer_id = ? ORDER BY position',
    );
    const recipients = this.db
      .prepare<[string], string | null>(
        'SELECT recipient_email FROM offer_recipients WHERE offer_id = ? ORDER BY position',
      )
      .pluck();
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      property: r.property,
      files: JSON.stringify(files.all(r.id)),
      createdAt: r.created_at,
      recipients: recipients.all(r.id).filter((e): e is string => e !== null),
    }));
  }

  async pendingConfirmations(accountId: string, limit: number): Promise<PendingConfirmation[]> {
    if (!this.hasOffers) return [];
    // touch point: offer_evidence and offers (read-only)
    return this.db
      .prepare<[string, number], PendingConfirmation>(
        `SELECT e.id, e.offer_id AS offerId, o.message_id AS messageId, e.token,
                e.recipient_email AS recipientEmail, e.confirmation, e.wording,
                e.wording_sha256 AS wordingSha256, e.policy_version AS policyVersion,
                e.confirmed_at AS confirmedAt, e.ip, e.user_agent AS userAgent
           FROM offer_evidence e JOIN offers o ON o.id = e.offer_id
          WHERE e.account_id = ? AND NOT EXISTS (
            SELECT 1 FROM evidence_chain c WHERE c.account_id = e.account_id AND c.ref = 'legal:' || e.id)
          ORDER BY e.confirmed_at, e.id LIMIT ?`,
      )
      .all(accountId, limit);
  }

  async lastSignedHead(accountId: string): Promise<StoredSignedHead | null> {
    const r = this.s.lastSigned.get(accountId);
    return r ? toSigned(r) : null;
  }

  async signHead(
    accountId: string,
    sign: (head: { position: number; link: string }) => { head: string; signature: string; signedAt: string },
  ): Promise<StoredSignedHead | null> {
    const tx = this.db.transaction((): StoredSignedHead | null => {
      const h = this.s.head.get(accountId);
      if (!h || h.position === 0) return null;
      const last = this.s.lastSigned.get(accountId);
      if (last && last.position >= h.position) return null;
      const s = sign({ position: h.position, link: h.link });
      this.s.insertSigned.run(accountId, h.position, h.link, s.head, s.signature, s.signedAt);
      return { position: h.position, link: h.link, ...s, timestamp: null };
    });
    // a signed head may leave the building at once (export, TSA): durable like the events
    this.db.pragma(`synchronous = ${this.synchronous}`);
    try {
      return tx.immediate();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  async addTimestamp(accountId: string, position: number, tsa: string, response: string, at: string): Promise<void> {
    this.s.insertTimestamp.run(accountId, position, tsa, response, at);
  }

  async signedHeads(accountId: string, from: number): Promise<StoredSignedHead[]> {
    return this.s.signedFrom.all(accountId, from).map(toSigned);
  }

  async recordsAbout(accountId: string, email: string, filter: RecordFilter): Promise<StoredChainEntry[]> {
    return this.s.about
      .all({ account: accountId, email, message: filter.messageId ?? null, sender: filter.senderUserId ?? null })
      .map((r) => ({ position: r.position, kind: r.kind, record: r.record, recordHash: r.record_hash }));
  }

  async hashes(accountId: string, from: number, to: number): Promise<string[]> {
    return this.s.hashes.all(accountId, from, to) as unknown as string[];
  }

  async linkAt(accountId: string, position: number): Promise<string> {
    if (position === 0) return GENESIS_LINK;
    const link = this.s.linkAt.get(accountId, position) as unknown as string | undefined;
    if (link === undefined) throw new Error(`no chain entry ${position} in account ${accountId}`);
    return link;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function toSigned(r: SignedRow): StoredSignedHead {
  return {
    position: r.position,
    link: r.link,
    head: r.head,
    signature: r.signature,
    signedAt: r.signed_at,
    timestamp: r.tsa !== null && r.response !== null ? { tsa: r.tsa, response: r.response } : null,
  };
}
