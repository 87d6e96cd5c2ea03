import type Database from 'better-sqlite3';
import { chainLink, GENESIS_LINK } from '../../../src-shared/evidence/canonical';
import {
  idOfRef,
  type ChainHead,
  type EvidenceChainStore,
  type NewChainEntry,
  type RecordFilter,
  type StoredChainEntry,
  type StoredSignedHead,
} from '../evidence/types';

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
 * The evidence chain (SQLite), on the collector's one connection: only the evidence_* tables
 * (migration 8). Each append is one BEGIN IMMEDIATE transaction, the only writer while it runs.
 */
export class SqliteEvidenceChain implements EvidenceChainStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    /** the store's setting: a signed head is as durable as the events */
    private readonly synchronous: 'FULL' | 'NORMAL',
  ) {
    this.s = {
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
      refs: db.prepare<[string, string], string>(
        // the kind list repeats the partial index's WHERE term (migration 12): SQLite uses a
        // partial index only for a query that contains it
        "SELECT ref FROM evidence_chain WHERE account_id = ? AND kind IN ('offer', 'legal_confirmation', 'consent') AND kind = ?",
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
      about: db.prepare<
        { account: string; email: string; message: string | null },
        { position: number; message_id: string | null; kind: string; record: string; record_hash: string }
      >(
        `SELECT c.position, c.message_id, c.kind, c.record, c.record_hash
           FROM evidence_chain_subjects s
           JOIN evidence_chain c ON c.account_id = s.account_id AND c.position = s.position
          WHERE s.account_id = @account AND s.email = @email
            AND (@message IS NULL OR c.message_id = @message)
          ORDER BY c.position`,
      ),
    };
    for (const st of [this.s.hashes, this.s.linkAt, this.s.refs]) st.pluck();
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
    // Appends need not survive a power loss: they are derived from committed events and roll back
    // together with the cursor, to be appended again. A signature is synced (signHead).
    this.db.pragma('synchronous = NORMAL');
    try {
      return tx.immediate();
    } finally {
      this.db.pragma(`synchronous = ${this.synchronous}`);
    }
  }

  async chainedIds(accountId: string, kind: 'offer' | 'legal_confirmation' | 'consent'): Promise<Set<string>> {
    const refs = this.s.refs.all(accountId, kind) as unknown as string[];
    return new Set(refs.map(idOfRef));
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
    return tx.immediate();
  }

  async addTimestamp(accountId: string, position: number, tsa: string, response: string, at: string): Promise<void> {
    this.s.insertTimestamp.run(accountId, position, tsa, response, at);
  }

  async signedHeads(accountId: string, from: number): Promise<StoredSignedHead[]> {
    return this.s.signedFrom.all(accountId, from).map(toSigned);
  }

  async recordsAbout(accountId: string, email: string, filter: RecordFilter): Promise<StoredChainEntry[]> {
    return this.s.about
      .all({ account: accountId, email, message: filter.messageId ?? null })
      .map((r) => ({
        position: r.position,
        messageId: r.message_id,
        kind: r.kind,
        record: r.record,
        recordHash: r.record_hash,
      }));
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
