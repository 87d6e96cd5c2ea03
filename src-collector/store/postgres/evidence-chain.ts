import type { Sql, TransactionSql } from 'postgres';
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
  signed_at: Date;
  tsa: string | null;
  response: string | null;
}

/**
 * The evidence chain (PostgreSQL), on the collector's pool: only the evidence_* tables
 * (migration 7). Every append and every signature first takes the row lock of the account's
 * evidence_chain_heads row, so several instances appending at once take turns and the chain
 * stays one line.
 */
export class PgEvidenceChain implements EvidenceChainStore {
  constructor(private readonly sql: Sql) {}

  async head(accountId: string): Promise<ChainHead> {
    const [r] = await this.sql<{ position: number; link: string; event_seq: number }[]>`
      SELECT position, link, event_seq FROM evidence_chain_heads WHERE account_id = ${accountId}`;
    return r ? { position: r.position, link: r.link, eventSeq: r.event_seq } : { position: 0, link: GENESIS_LINK, eventSeq: 0 };
  }

  /** the account's chain lock: its head row, created at position 0 when missing */
  private async lock(
    tx: TransactionSql,
    accountId: string,
  ): Promise<{ position: number; link: string; event_seq: number }> {
    await tx`INSERT INTO evidence_chain_heads (account_id, position, link, event_seq, updated_at)
             VALUES (${accountId}, 0, ${GENESIS_LINK}, 0, now()) ON CONFLICT (account_id) DO NOTHING`;
    const [h] = await tx<{ position: number; link: string; event_seq: number }[]>`
      SELECT position, link, event_seq FROM evidence_chain_heads WHERE account_id = ${accountId} FOR UPDATE`;
    return h!;
  }

  async append(
    accountId: string,
    expectedPosition: number,
    entries: readonly NewChainEntry[],
    eventSeq: number,
  ): Promise<'ok' | 'moved'> {
    return this.sql.begin(async (tx) => {
      // As SQLite's appends (synchronous NORMAL): an append need not wait for its WAL flush. It is
      // derived from committed events and lost, if at all, together with its cursor, to be appended
      // again; a signature is committed synchronously and flushes the WAL up to it first. Waiting
      // would put a second fsync beside every group commit of hits on the same WAL.
      await tx`SET LOCAL synchronous_commit = off`;
      const h = await this.lock(tx, accountId);
      if (h.position !== expectedPosition) return 'moved' as const;
      let link = h.link;
      let position = h.position;
      const rows: Record<string, string | number | null>[] = [];
      const subjects: Record<string, string | number>[] = [];
      for (const e of entries) {
        position++;
        link = chainLink(link, e.recordHash);
        rows.push({
          account_id: accountId,
          position,
          ref: e.ref,
          kind: e.kind,
          message_id: e.messageId,
          record: e.record,
          record_hash: e.recordHash,
          link,
        });
        for (const email of e.subjects) subjects.push({ account_id: accountId, email, position });
      }
      for (let i = 0; i < rows.length; i += 500) {
        await tx`INSERT INTO evidence_chain ${tx(rows.slice(i, i + 500), 'account_id', 'position', 'ref', 'kind', 'message_id', 'record', 'record_hash', 'link')}`.then(
          () => undefined,
        );
      }
      for (let i = 0; i < subjects.length; i += 1000) {
        await tx`INSERT INTO evidence_chain_subjects ${tx(subjects.slice(i, i + 1000), 'account_id', 'email', 'position')} ON CONFLICT DO NOTHING`;
      }
      await tx`UPDATE evidence_chain_heads SET position = ${position}, link = ${link},
                 event_seq = ${Math.max(eventSeq, h.event_seq)}, updated_at = now()
               WHERE account_id = ${accountId}`;
      return 'ok' as const;
    });
  }

  async chainedIds(accountId: string, kind: 'offer' | 'legal_confirmation' | 'consent'): Promise<Set<string>> {
    // the kind list repeats the partial index's predicate (migration 11): a generic plan, whose
    // kind is a parameter, could not prove it otherwise
    const rows = await this.sql<{ ref: string }[]>`
      SELECT ref FROM evidence_chain
       WHERE account_id = ${accountId} AND kind IN ('offer', 'legal_confirmation', 'consent') AND kind = ${kind}`;
    return new Set(rows.map((r) => idOfRef(r.ref)));
  }

  private readonly signedSelect = (accountId: string, from: number, newestOnly: boolean) => this.sql<SignedRow[]>`
    SELECT h.position, h.link, h.head, h.signature, h.signed_at, t.tsa, t.response
      FROM evidence_signed_heads h LEFT JOIN evidence_head_timestamps t
        ON t.account_id = h.account_id AND t.position = h.position
     WHERE h.account_id = ${accountId} AND h.position >= ${from}
     ORDER BY h.position ${newestOnly ? this.sql`DESC LIMIT 1` : this.sql``}`;

  async lastSignedHead(accountId: string): Promise<StoredSignedHead | null> {
    const [r] = await this.signedSelect(accountId, 0, true);
    return r ? toSigned(r) : null;
  }

  async signHead(
    accountId: string,
    sign: (head: { position: number; link: string }) => { head: string; signature: string; signedAt: string },
  ): Promise<StoredSignedHead | null> {
    return this.sql.begin(async (tx) => {
      const h = await this.lock(tx, accountId);
      if (h.position === 0) return null;
      const [last] = await tx<{ position: number }[]>`
        SELECT position FROM evidence_signed_heads WHERE account_id = ${accountId} ORDER BY position DESC LIMIT 1`;
      if (last && last.position >= h.position) return null;
      const s = sign({ position: h.position, link: h.link });
      await tx`INSERT INTO evidence_signed_heads (account_id, position, link, head, signature, signed_at)
               VALUES (${accountId}, ${h.position}, ${h.link}, ${s.head}, ${s.signature}, ${s.signedAt})`;
      return { position: h.position, link: h.link, ...s, timestamp: null };
    });
  }

  async addTimestamp(accountId: string, position: number, tsa: string, response: string, at: string): Promise<void> {
    await this.sql`INSERT INTO evidence_head_timestamps (account_id, position, tsa, response, added_at)
                   VALUES (${accountId}, ${position}, ${tsa}, ${response}, ${at}) ON CONFLICT DO NOTHING`;
  }

  async signedHeads(accountId: string, from: number): Promise<StoredSignedHead[]> {
    return (await this.signedSelect(accountId, from, false)).map(toSigned);
  }

  async recordsAbout(accountId: string, email: string, filter: RecordFilter): Promise<StoredChainEntry[]> {
    const message = filter.messageId ?? null;
    const rows = await this.sql<
      { position: number; message_id: string | null; kind: string; record: string; record_hash: string }[]
    >`
      SELECT c.position, c.message_id, c.kind, c.record, c.record_hash
        FROM evidence_chain_subjects s
        JOIN evidence_chain c ON c.account_id = s.account_id AND c.position = s.position
       WHERE s.account_id = ${accountId} AND s.email = ${email}
         AND (${message}::text IS NULL OR c.message_id = ${message})
       ORDER BY c.position`;
    return rows.map((r) => ({
      position: r.position,
      messageId: r.message_id,
      kind: r.kind,
      record: r.record,
      recordHash: r.record_hash,
    }));
  }

  async hashes(accountId: string, from: number, to: number): Promise<string[]> {
    const rows = await this.sql<{ record_hash: string }[]>`
      SELECT record_hash FROM evidence_chain
       WHERE account_id = ${accountId} AND position BETWEEN ${from} AND ${to} ORDER BY position`;
    return rows.map((r) => r.record_hash);
  }

  async linkAt(accountId: string, position: number): Promise<string> {
    if (position === 0) return GENESIS_LINK;
    const [r] = await this.sql<{ link: string }[]>`
      SELECT link FROM evidence_chain WHERE account_id = ${accountId} AND position = ${position}`;
    if (!r) throw new Error(`no chain entry ${position} in account ${accountId}`);
    return r.link;
  }
}

function toSigned(r: SignedRow): StoredSignedHead {
  return {
    position: r.position,
    link: r.link,
    head: r.head,
    signature: r.signature,
    signedAt: r.signed_at.toISOString(),
    timestamp: r.tsa !== null && r.response !== null ? { tsa: r.tsa, response: r.response } : null,
  };
}
