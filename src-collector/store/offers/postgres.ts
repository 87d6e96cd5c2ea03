import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import postgres, { type Sql } from 'postgres';
import type { OfferProperty, OfferStatus } from '../../../src-shared/api';
import { sha256Hex, type FileStore } from '../../offers/files';
import { offerMigrations } from './migrations';
import type {
  EvidenceRecord,
  NewEvidence,
  NewOffer,
  OfferFileRole,
  OfferRecipient,
  OfferRecord,
  OfferStore,
  PublishableMessage,
} from './types';

// The SQLite DDL is portable except for BLOB and STRICT; blobs get a table of their own here.
const pgSql = (s: string): string => s.replace(/\) STRICT;/g, ');').replace(/\bBLOB\b/g, 'BYTEA');
const BLOBS_SQL =
  'CREATE TABLE IF NOT EXISTS offer_blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BYTEA NOT NULL)';

interface OfferRow {
  id: string;
  account_id: string;
  user_id: string;
  message_id: string;
  status: OfferStatus;
  property: string;
  created_at: string;
  updated_at: string;
}

/**
 * Offers on PostgreSQL, in the collector's database and schema; blobs in `offer_blobs` so that
 * every instance behind a load balancer serves the same files.
 */
export async function openPostgresOfferStore(url: string): Promise<{ offers: OfferStore; files: FileStore }> {
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('blitz-offers-migrate:' || current_schema()))`;
      await tx`CREATE TABLE IF NOT EXISTS offer_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`;
      const [row] = await tx<{ v: number | null }[]>`SELECT MAX(version) AS v FROM offer_schema_version`;
      const current = row?.v ?? 0;
      for (const m of offerMigrations) {
        if (m.version <= current) continue;
        await tx.unsafe(pgSql(m.sql));
        if (m.version === 1) await tx.unsafe(BLOBS_SQL);
        await tx`INSERT INTO offer_schema_version (version, applied_at) VALUES (${m.version}, ${new Date().toISOString()})`;
      }
    });
  } catch (e) {
    await sql.end();
    throw e;
  }
  const store = new PgOfferStore(sql);
  return { offers: store, files: new PgFileStore(sql) };
}

class PgFileStore implements FileStore {
  constructor(private readonly sql: Sql) {}
  async put(bytes: Buffer): Promise<string> {
    const hash = sha256Hex(bytes);
    await this
      .sql`INSERT INTO offer_blobs (sha256, size, bytes) VALUES (${hash}, ${bytes.length}, ${bytes}) ON CONFLICT (sha256) DO NOTHING`;
    return hash;
  }
  async open(sha256: string): Promise<{ size: number; stream: Readable } | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    const [row] = await this.sql<{ bytes: Buffer }[]>`SELECT bytes FROM offer_blobs WHERE sha256 = ${sha256}`;
    return row ? { size: row.bytes.length, stream: Readable.from([row.bytes]) } : null;
  }
  async close(): Promise<void> {}
}

class PgOfferStore implements OfferStore {
  readonly kind = 'postgres' as const;
  constructor(private readonly sql: Sql) {}

  async messageForPublish(messageId: string): Promise<PublishableMessage | null> {
    const [m] = await this.sql<
      { id: string; account_id: string; user_id: string; sent_individually: boolean }[]
    >`
      SELECT id, account_id, user_id, sent_individually FROM messages WHERE id = ${messageId}`;
    if (!m) return null;
    const trackers = await this.sql<
      { token: string; recipient_email: string | null; recipient_name: string | null }[]
    >`
      SELECT token, recipient_email, recipient_name FROM trackers WHERE message_id = ${messageId} ORDER BY position`;
    return {
      id: m.id,
      accountId: m.account_id,
      userId: m.user_id,
      sentIndividually: m.sent_individually,
      trackers: trackers.map(toRecipient),
    };
  }

  async createOffer(input: NewOffer): Promise<{ created: boolean; offer: OfferRecord }> {
    const id = await this.sql.begin(async (tx) => {
      const inserted = await tx<{ id: string }[]>`
        INSERT INTO offers (id, account_id, user_id, message_id, status, property, created_at, updated_at)
        VALUES (${input.id}, ${input.accountId}, ${input.userId}, ${input.messageId}, 'active',
                ${JSON.stringify(input.property)}, ${input.createdAt}, ${input.createdAt})
        ON CONFLICT (message_id) DO NOTHING RETURNING id`;
      if (inserted.length === 0) {
        const [existing] = await tx<
          { id: string }[]
        >`SELECT id FROM offers WHERE message_id = ${input.messageId}`;
        return existing?.id ?? null;
      }
      for (const [i, f] of input.files.entries()) {
        await tx`INSERT INTO offer_files (offer_id, id, position, role, name, content_type, sha256, size)
                 VALUES (${input.id}, ${f.id}, ${i}, ${f.role}, ${f.name}, ${f.contentType}, ${f.sha256}, ${f.size})`;
      }
      for (const [i, r] of input.recipients.entries()) {
        await tx`INSERT INTO offer_recipients (token, offer_id, position, recipient_email, recipient_name)
                 VALUES (${r.token}, ${input.id}, ${i}, ${r.recipientEmail}, ${r.recipientName})`;
      }
      return input.id;
    });
    const offer = id ? await this.getOffer(id) : null;
    if (!offer) throw new Error('offer vanished after its own commit');
    return { created: id === input.id, offer };
  }

  async getOffer(offerId: string): Promise<OfferRecord | null> {
    const [row] = await this.sql<OfferRow[]>`SELECT * FROM offers WHERE id = ${offerId}`;
    return row ? this.toOffer(row) : null;
  }

  async offerForToken(token: string): Promise<{ offer: OfferRecord; recipient: OfferRecipient } | null> {
    const [r] = await this.sql<
      { offer_id: string; token: string; recipient_email: string | null; recipient_name: string | null }[]
    >`
      SELECT offer_id, token, recipient_email, recipient_name FROM offer_recipients WHERE token = ${token}`;
    if (!r) return null;
    const offer = await this.getOffer(r.offer_id);
    return offer ? { offer, recipient: toRecipient(r) } : null;
  }

  async offerIdsForMessages(messageIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<{ id: string; message_id: string }[]>`
      SELECT id, message_id FROM offers WHERE message_id = ANY(${[...new Set(messageIds)]})`;
    for (const r of rows) out.set(r.message_id, r.id);
    return out;
  }

  async setStatus(offerId: string, status: OfferStatus, at: string): Promise<OfferRecord | null> {
    await this.sql`UPDATE offers SET status = ${status}, updated_at = ${at} WHERE id = ${offerId}`;
    return this.getOffer(offerId);
  }

  async likedUnits(offerId: string, token: string): Promise<Set<string>> {
    const rows = await this.sql<{ unit_id: string }[]>`
      SELECT unit_id FROM offer_likes WHERE offer_id = ${offerId} AND token = ${token} AND liked = 1`;
    return new Set(rows.map((r) => r.unit_id));
  }

  async setLike(offerId: string, token: string, unitId: string, liked: boolean, at: string): Promise<void> {
    await this.sql`
      INSERT INTO offer_likes (token, offer_id, unit_id, liked, updated_at) VALUES (${token}, ${offerId}, ${unitId}, ${liked ? 1 : 0}, ${at})
      ON CONFLICT (token, unit_id) DO UPDATE SET liked = excluded.liked, updated_at = excluded.updated_at`;
  }

  async addEvidence(rows: readonly NewEvidence[]): Promise<void> {
    await this.sql.begin(async (tx) => {
      for (const e of rows) {
        await tx`INSERT INTO offer_evidence (id, offer_id, account_id, token, recipient_email, confirmation, wording,
                   wording_sha256, policy_version, confirmed_at, ip, user_agent)
                 VALUES (${e.id}, ${e.offerId}, ${e.accountId}, ${e.token}, ${e.recipientEmail}, ${e.confirmation}, ${e.wording},
                   ${e.wordingSha256}, ${e.policyVersion}, ${e.confirmedAt}, ${e.ip}, ${e.userAgent})`;
      }
    });
  }

  async confirmationsFor(offerId: string, token: string, policyVersion: string): Promise<Set<string>> {
    const rows = await this.sql<{ confirmation: string }[]>`
      SELECT DISTINCT confirmation FROM offer_evidence
      WHERE offer_id = ${offerId} AND token = ${token} AND policy_version = ${policyVersion}`;
    return new Set(rows.map((r) => r.confirmation));
  }

  async listEvidence(offerId: string): Promise<EvidenceRecord[]> {
    const rows = await this.sql<Record<string, string | null>[]>`
      SELECT * FROM offer_evidence WHERE offer_id = ${offerId} ORDER BY confirmed_at, id`;
    return rows.map((r) => ({
      id: r.id ?? '',
      offerId: r.offer_id ?? '',
      accountId: r.account_id ?? '',
      token: r.token ?? '',
      recipientEmail: r.recipient_email ?? null,
      confirmation: r.confirmation ?? '',
      wording: r.wording ?? '',
      wordingSha256: r.wording_sha256 ?? '',
      policyVersion: r.policy_version ?? '',
      confirmedAt: r.confirmed_at ?? '',
      ip: r.ip ?? '',
      userAgent: r.user_agent ?? '',
    }));
  }

  async secret(name: string): Promise<Buffer> {
    await this
      .sql`INSERT INTO offer_secrets (name, value) VALUES (${name}, ${randomBytes(32)}) ON CONFLICT (name) DO NOTHING`;
    const [row] = await this.sql<{ value: Buffer }[]>`SELECT value FROM offer_secrets WHERE name = ${name}`;
    if (!row) throw new Error(`secret ${name} missing right after insert`);
    return Buffer.from(row.value);
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  private async toOffer(row: OfferRow): Promise<OfferRecord> {
    const [files, recipients] = await Promise.all([
      this.sql<
        {
          id: string;
          role: OfferFileRole;
          name: string;
          content_type: string;
          sha256: string;
          size: number;
        }[]
      >`
        SELECT id, role, name, content_type, sha256, size FROM offer_files WHERE offer_id = ${row.id} ORDER BY position`,
      this.sql<{ token: string; recipient_email: string | null; recipient_name: string | null }[]>`
        SELECT token, recipient_email, recipient_name FROM offer_recipients WHERE offer_id = ${row.id} ORDER BY position`,
    ]);
    return {
      id: row.id,
      accountId: row.account_id,
      userId: row.user_id,
      messageId: row.message_id,
      status: row.status,
      property: JSON.parse(row.property) as OfferProperty,
      files: files.map((f) => ({
        id: f.id,
        role: f.role,
        name: f.name,
        contentType: f.content_type,
        sha256: f.sha256,
        size: f.size,
      })),
      recipients: recipients.map(toRecipient),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function toRecipient(r: {
  token: string;
  recipient_email: string | null;
  recipient_name: string | null;
}): OfferRecipient {
  return { token: r.token, recipientEmail: r.recipient_email, recipientName: r.recipient_name };
}
