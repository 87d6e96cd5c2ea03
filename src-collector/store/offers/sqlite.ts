import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { OfferProperty, OfferStatus } from '../../../src-shared/api';
import { offerMigrations } from './migrations';
import type {
  EvidenceRecord,
  NewEvidence,
  NewOffer,
  OfferFile,
  OfferFileRole,
  OfferRecipient,
  OfferRecord,
  OfferStore,
  PublishableMessage,
} from './types';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';

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
interface FileRow {
  id: string;
  role: OfferFileRole;
  name: string;
  content_type: string;
  sha256: string;
  size: number;
}
interface RecipientRow {
  token: string;
  recipient_email: string | null;
  recipient_name: string | null;
}
interface EvidenceRow {
  id: string;
  offer_id: string;
  account_id: string;
  token: string;
  recipient_email: string | null;
  confirmation: string;
  wording: string;
  wording_sha256: string;
  policy_version: string;
  confirmed_at: string;
  ip: string;
  user_agent: string;
}

/** Applies the offer migrations, tracked in their own version table. */
export function migrateOffers(db: Database.Database): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS offer_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM offer_schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = offerMigrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new Error(`offer schema version ${current} is newer than this collector (${latest})`);
  }
  const record = db.prepare('INSERT INTO offer_schema_version (version, applied_at) VALUES (?, ?)');
  for (const m of offerMigrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, new Date().toISOString());
    })();
  }
  return latest;
}

/**
 * The offer tables live in the collector's SQLite file, on a second connection (WAL lets both
 * read each other's commits). Publishing reads the collector's `messages` and `trackers` tables,
 * read-only, because the Store interface has no way to fetch a message's trackers yet.
 */
export function openSqliteOfferStore(opts: { file: string; synchronous?: 'FULL' | 'NORMAL' }): OfferStore {
  return new SqliteOfferStore(opts.file, opts.synchronous ?? 'FULL');
}

class SqliteOfferStore implements OfferStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly s;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    preparePrivateSqlite(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrateOffers(this.db);
    const db = this.db;
    this.s = {
      message: db.prepare<
        [string],
        { id: string; account_id: string; user_id: string; sent_individually: number }
      >('SELECT id, account_id, user_id, sent_individually FROM messages WHERE id = ?'),
      trackers: db.prepare<[string], RecipientRow>(
        'SELECT token, recipient_email, recipient_name FROM trackers WHERE message_id = ? ORDER BY position',
      ),
      offerById: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE id = ?'),
      offerByMessage: db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE message_id = ?'),
      offerByToken: db.prepare<[string], OfferRow & RecipientRow>(
        `SELECT o.*, r.token, r.recipient_email, r.recipient_name
         FROM offer_recipients r JOIN offers o ON o.id = r.offer_id WHERE r.token = ?`,
      ),
      files: db.prepare<[string], FileRow>(
        'SELECT id, role, name, content_type, sha256, size FROM offer_files WHERE offer_id = ? ORDER BY position',
      ),
      recipients: db.prepare<[string], RecipientRow>(
        'SELECT token, recipient_email, recipient_name FROM offer_recipients WHERE offer_id = ? ORDER BY position',
      ),
      insertOffer: db.prepare(
        `INSERT INTO offers (id, account_id, user_id, message_id, status, property, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'active', ?, ?, ?)`,
      ),
      insertFile: db.prepare(
        `INSERT INTO offer_files (offer_id, id, position, role, name, content_type, sha256, size)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertRecipient: db.prepare(
        'INSERT INTO offer_recipients (token, offer_id, position, recipient_email, recipient_name) VALUES (?, ?, ?, ?, ?)',
      ),
      setStatus: db.prepare('UPDATE offers SET status = ?, updated_at = ? WHERE id = ?'),
      likes: db.prepare<[string, string], { unit_id: string }>(
        'SELECT unit_id FROM offer_likes WHERE offer_id = ? AND token = ? AND liked = 1',
      ),
      upsertLike: db.prepare(
        `INSERT INTO offer_likes (token, offer_id, unit_id, liked, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (token, unit_id) DO UPDATE SET liked = excluded.liked, updated_at = excluded.updated_at`,
      ),
      insertEvidence: db.prepare(
        `INSERT INTO offer_evidence (id, offer_id, account_id, token, recipient_email, confirmation, wording,
           wording_sha256, policy_version, confirmed_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      confirmations: db.prepare<[string, string, string], { confirmation: string }>(
        'SELECT DISTINCT confirmation FROM offer_evidence WHERE offer_id = ? AND token = ? AND policy_version = ?',
      ),
      evidence: db.prepare<[string], EvidenceRow>(
        'SELECT * FROM offer_evidence WHERE offer_id = ? ORDER BY confirmed_at, rowid',
      ),
      getSecret: db.prepare<[string], { value: Buffer }>('SELECT value FROM offer_secrets WHERE name = ?'),
      insertSecret: db.prepare('INSERT OR IGNORE INTO offer_secrets (name, value) VALUES (?, ?)'),
    };
  }

  async messageForPublish(messageId: string): Promise<PublishableMessage | null> {
    const m = this.s.message.get(messageId);
    if (!m) return null;
    return {
      id: m.id,
      accountId: m.account_id,
      userId: m.user_id,
      sentIndividually: m.sent_individually === 1,
      trackers: this.s.trackers.all(messageId).map(toRecipient),
    };
  }

  async createOffer(input: NewOffer): Promise<{ created: boolean; offer: OfferRecord }> {
    const tx = this.db.transaction((): { created: boolean; id: string } => {
      const existing = this.s.offerByMessage.get(input.messageId);
      if (existing) return { created: false, id: existing.id };
      this.s.insertOffer.run(
        input.id,
        input.accountId,
        input.userId,
        input.messageId,
        JSON.stringify(input.property),
        input.createdAt,
        input.createdAt,
      );
      input.files.forEach((f, i) =>
        this.s.insertFile.run(input.id, f.id, i, f.role, f.name, f.contentType, f.sha256, f.size),
      );
      input.recipients.forEach((r, i) =>
        this.s.insertRecipient.run(r.token, input.id, i, r.recipientEmail, r.recipientName),
      );
      return { created: true, id: input.id };
    });
    const { created, id } = tx.immediate();
    const offer = await this.getOffer(id);
    if (!offer) throw new Error('offer vanished after its own commit');
    return { created, offer };
  }

  async getOffer(offerId: string): Promise<OfferRecord | null> {
    const row = this.s.offerById.get(offerId);
    return row ? this.toOffer(row) : null;
  }

  async offerForToken(token: string): Promise<{ offer: OfferRecord; recipient: OfferRecipient } | null> {
    const row = this.s.offerByToken.get(token);
    if (!row) return null;
    return { offer: this.toOffer(row), recipient: toRecipient(row) };
  }

  async offerIdsForMessages(messageIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(messageIds)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.db
        .prepare<string[], { id: string; message_id: string }>(
          `SELECT id, message_id FROM offers WHERE message_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk);
      for (const r of rows) out.set(r.message_id, r.id);
    }
    return out;
  }

  async setStatus(offerId: string, status: OfferStatus, at: string): Promise<OfferRecord | null> {
    this.s.setStatus.run(status, at, offerId);
    return this.getOffer(offerId);
  }

  async likedUnits(offerId: string, token: string): Promise<Set<string>> {
    return new Set(this.s.likes.all(offerId, token).map((r) => r.unit_id));
  }

  async setLike(offerId: string, token: string, unitId: string, liked: boolean, at: string): Promise<void> {
    this.s.upsertLike.run(token, offerId, unitId, liked ? 1 : 0, at);
  }

  async addEvidence(rows: readonly NewEvidence[]): Promise<void> {
    this.db
      .transaction(() => {
        for (const e of rows) {
          this.s.insertEvidence.run(
            e.id,
            e.offerId,
            e.accountId,
            e.token,
            e.recipientEmail,
            e.confirmation,
            e.wording,
            e.wordingSha256,
            e.policyVersion,
            e.confirmedAt,
            e.ip,
            e.userAgent,
          );
        }
      })
      .immediate();
  }

  async confirmationsFor(offerId: string, token: string, policyVersion: string): Promise<Set<string>> {
    return new Set(this.s.confirmations.all(offerId, token, policyVersion).map((r) => r.confirmation));
  }

  async listEvidence(offerId: string): Promise<EvidenceRecord[]> {
    return this.s.evidence.all(offerId).map((r) => ({
      id: r.id,
      offerId: r.offer_id,
      accountId: r.account_id,
      token: r.token,
      recipientEmail: r.recipient_email,
      confirmation: r.confirmation,
      wording: r.wording,
      wordingSha256: r.wording_sha256,
      policyVersion: r.policy_version,
      confirmedAt: r.confirmed_at,
      ip: r.ip,
      userAgent: r.user_agent,
    }));
  }

  async secret(name: string): Promise<Buffer> {
    // INSERT OR IGNORE: two instances racing both end up reading the one stored value
    this.s.insertSecret.run(name, randomBytes(32));
    const row = this.s.getSecret.get(name);
    if (!row) throw new Error(`secret ${name} missing right after insert`);
    return Buffer.from(row.value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private toOffer(row: OfferRow): OfferRecord {
    return {
      id: row.id,
      accountId: row.account_id,
      userId: row.user_id,
      messageId: row.message_id,
      status: row.status,
      property: JSON.parse(row.property) as OfferProperty,
      files: this.s.files.all(row.id).map((f): OfferFile => ({
        id: f.id,
        role: f.role,
        name: f.name,
        contentType: f.content_type,
        sha256: f.sha256,
        size: f.size,
      })),
      recipients: this.s.recipients.all(row.id).map(toRecipient),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function toRecipient(r: RecipientRow): OfferRecipient {
  return { token: r.token, recipientEmail: r.recipient_email, recipientName: r.recipient_name };
}
