import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Sql } from 'postgres';
import type { LandingLockSettings, OfferStatus, PropertyMarketStatus } from '../../../src-shared/api';
import { sha256Hex, type FileStore } from '../../offers/files';
import * as R from '../offers/rows';
import type * as O from '../offers/types';

/** Offers' files in `offer_blobs`, so every instance behind a load balancer serves the same bytes. */
export class PgFileStore implements FileStore {
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

/**
 * Offers and their evidence (PostgreSQL), on the collector's pool: offers, recipients, likes,
 * legal confirmations with the full IP (offer_evidence), declarations, landing locks.
 */
export class PgOffers implements O.OfferStore {
  constructor(private readonly sql: Sql) {}

  async createOffer(input: O.NewOffer): Promise<{ created: boolean; offer: O.OfferRecord }> {
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
        await tx`INSERT INTO offer_recipients (token, offer_id, position, recipient_email, recipient_name, contact_kind)
                 VALUES (${r.token}, ${input.id}, ${i}, ${r.recipientEmail}, ${r.recipientName}, ${r.contactKind})`;
      }
      return input.id;
    });
    const offer = id ? await this.getOffer(id) : null;
    if (!offer) throw new Error('offer vanished after its own commit');
    return { created: id === input.id, offer };
  }

  async getOffer(offerId: string): Promise<O.OfferRecord | null> {
    const [row] = await this.sql<R.OfferRow[]>`SELECT * FROM offers WHERE id = ${offerId}`;
    return row ? this.toOffer(row) : null;
  }

  async offerForToken(token: string): Promise<{ offer: O.OfferRecord; recipient: O.OfferRecipient } | null> {
    const [r] = await this.sql<(R.RecipientRow & { offer_id: string })[]>`
      SELECT offer_id, token, recipient_email, recipient_name, contact_kind FROM offer_recipients WHERE token = ${token}`;
    if (!r) return null;
    const offer = await this.getOffer(r.offer_id);
    return offer ? { offer, recipient: R.recipientFromRow(r) } : null;
  }

  async offerIdsForMessages(messageIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (messageIds.length === 0) return out;
    const rows = await this.sql<{ id: string; message_id: string }[]>`
      SELECT id, message_id FROM offers WHERE message_id = ANY(${[...new Set(messageIds)]})`;
    for (const r of rows) out.set(r.message_id, r.id);
    return out;
  }

  async setStatus(offerId: string, status: OfferStatus, at: string): Promise<O.OfferRecord | null> {
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

  async recordDeclaration(
    input: O.NewDeclaration,
  ): Promise<{ newItems: string[]; declarationId: string | null }> {
    return this.sql.begin(async (tx) => {
      const newItems: string[] = [];
      for (const item of input.items) {
        const [r] = await tx<{ inserted: boolean }[]>`
          INSERT INTO offer_evidence (id, offer_id, account_id, token, recipient_email, confirmation, wording,
            wording_sha256, policy_version, confirmed_at, ip, user_agent)
          VALUES (${randomUUID()}, ${input.offerId}, ${input.accountId}, ${input.token}, ${input.recipientEmail},
            ${item.confirmation}, ${item.wording}, ${item.wordingSha256}, ${input.policyVersion}, ${input.at},
            ${input.ip}, ${input.userAgent})
          ON CONFLICT (token, confirmation, wording_sha256) DO UPDATE
            SET repeat_count = offer_evidence.repeat_count + 1, last_seen_at = excluded.confirmed_at
          RETURNING (xmax = 0) AS inserted`;
        if (r?.inserted) newItems.push(item.confirmation);
      }
      if (newItems.length === 0) return { newItems, declarationId: null };
      await tx`
        INSERT INTO offer_declarations (id, offer_id, account_id, token, recipient_email, declared_at, items, ip, user_agent)
        VALUES (${input.id}, ${input.offerId}, ${input.accountId}, ${input.token}, ${input.recipientEmail}, ${input.at},
          ${JSON.stringify(input.items)}, ${input.ip}, ${input.userAgent})`;
      return { newItems, declarationId: input.id };
    });
  }

  async confirmedFor(offerId: string, token: string): Promise<Map<string, O.ConfirmedItem>> {
    const rows = await this.sql<{ confirmation: string; wording_sha256: string; confirmed_at: string }[]>`
      SELECT confirmation, wording_sha256, confirmed_at FROM offer_evidence
      WHERE offer_id = ${offerId} AND token = ${token} ORDER BY confirmed_at, id`;
    const out = new Map<string, O.ConfirmedItem>();
    for (const r of rows)
      out.set(r.confirmation, { wordingSha256: r.wording_sha256, confirmedAt: r.confirmed_at });
    return out;
  }

  async declarationsFor(token: string): Promise<O.DeclarationRecord[]> {
    const rows = await this.sql<R.DeclarationRow[]>`
      SELECT * FROM offer_declarations WHERE token = ${token} ORDER BY declared_at DESC, id DESC`;
    return rows.map(R.declarationFromRow);
  }

  async getDeclaration(id: string): Promise<O.DeclarationRecord | null> {
    const [r] = await this.sql<R.DeclarationRow[]>`SELECT * FROM offer_declarations WHERE id = ${id}`;
    return r ? R.declarationFromRow(r) : null;
  }

  async openDeclarations(userId: string, limit: number): Promise<O.DeclarationRecord[]> {
    const rows = await this.sql<R.DeclarationRow[]>`
      SELECT d.* FROM offer_declarations d JOIN offers o ON o.id = d.offer_id
      WHERE d.mail_state <> 'sent' AND o.user_id = ${userId} ORDER BY d.declared_at, d.id LIMIT ${limit}`;
    return rows.map(R.declarationFromRow);
  }

  async claimDeclaration(id: string, device: string, now: string, until: string): Promise<O.ClaimOutcome> {
    const [claimed] = await this.sql<R.DeclarationRow[]>`
      UPDATE offer_declarations SET mail_state = 'claimed', mail_claimed_by = ${device}, mail_claimed_until = ${until}
      WHERE id = ${id} AND mail_state <> 'sent'
        AND (mail_state = 'pending' OR mail_claimed_by = ${device} OR mail_claimed_until < ${now})
      RETURNING *`;
    if (claimed) return { outcome: 'claimed', declaration: R.declarationFromRow(claimed) };
    const cur = await this.getDeclaration(id);
    if (!cur) return { outcome: 'missing' };
    return { outcome: cur.mailState === 'sent' ? 'sent' : 'elsewhere' };
  }

  async markDeclarationSent(
    id: string,
    device: string,
    at: string,
    mailMessageId: string,
  ): Promise<{ outcome: 'sent' | 'elsewhere' | 'missing'; changed: boolean }> {
    const updated = await this.sql`
      UPDATE offer_declarations SET mail_state = 'sent', mail_sent_at = ${at}, mail_message_id = ${mailMessageId},
        mail_claimed_by = ${device}
      WHERE id = ${id} AND mail_state <> 'sent' AND (mail_claimed_by = ${device} OR mail_claimed_by IS NULL)`;
    const cur = await this.getDeclaration(id);
    if (!cur) return { outcome: 'missing', changed: false };
    return { outcome: cur.mailState === 'sent' ? 'sent' : 'elsewhere', changed: updated.count > 0 };
  }

  async lockSettings(accountId: string): Promise<LandingLockSettings> {
    const [r] = await this.sql<{ statuses: string }[]>`
      SELECT statuses FROM landing_lock_settings WHERE account_id = ${accountId}`;
    return R.lockSettingsFromRow(r);
  }

  async setLockSettings(accountId: string, settings: LandingLockSettings): Promise<void> {
    await this.sql`
      INSERT INTO landing_lock_settings (account_id, statuses) VALUES (${accountId}, ${JSON.stringify(settings.statuses)})
      ON CONFLICT (account_id) DO UPDATE SET statuses = excluded.statuses`;
  }

  async setPropertyLock(
    accountId: string,
    propertyKey: string,
    status: PropertyMarketStatus,
    lockAll: boolean,
    at: string,
  ): Promise<void> {
    await this.sql`
      INSERT INTO landing_property_locks (account_id, property_key, status, lock_all, updated_at)
      VALUES (${accountId}, ${propertyKey}, ${status}, ${lockAll ? 1 : 0}, ${at})
      ON CONFLICT (account_id, property_key) DO UPDATE SET status = excluded.status, lock_all = excluded.lock_all,
        updated_at = excluded.updated_at`;
  }

  async setContactLock(accountId: string, email: string, archived: boolean, at: string): Promise<void> {
    await this.sql`
      INSERT INTO landing_contact_locks (account_id, email, archived, updated_at)
      VALUES (${accountId}, ${email.toLowerCase()}, ${archived ? 1 : 0}, ${at})
      ON CONFLICT (account_id, email) DO UPDATE SET archived = excluded.archived, updated_at = excluded.updated_at`;
  }

  async setDealLock(
    accountId: string,
    propertyKey: string,
    email: string,
    rejected: boolean,
    at: string,
  ): Promise<void> {
    await this.sql`
      INSERT INTO landing_deal_locks (account_id, property_key, email, rejected, updated_at)
      VALUES (${accountId}, ${propertyKey}, ${email.toLowerCase()}, ${rejected ? 1 : 0}, ${at})
      ON CONFLICT (account_id, property_key, email) DO UPDATE SET rejected = excluded.rejected,
        updated_at = excluded.updated_at`;
  }

  async lockFor(
    accountId: string,
    propertyKey: string | null,
    email: string | null,
  ): Promise<O.LockReason | null> {
    const key = propertyKey ?? '';
    const mail = (email ?? '').toLowerCase();
    const [r] = await this.sql<R.LockRow[]>`
      SELECT
        (SELECT statuses FROM landing_lock_settings WHERE account_id = ${accountId}) AS statuses,
        (SELECT status FROM landing_property_locks WHERE account_id = ${accountId} AND property_key = ${key}) AS status,
        (SELECT lock_all FROM landing_property_locks WHERE account_id = ${accountId} AND property_key = ${key}) AS lock_all,
        (SELECT archived FROM landing_contact_locks WHERE account_id = ${accountId} AND email = ${mail}) AS archived,
        (SELECT rejected FROM landing_deal_locks
          WHERE account_id = ${accountId} AND property_key = ${key} AND email = ${mail}) AS rejected`;
    return R.lockFromRow(r);
  }

  async listEvidence(offerId: string): Promise<O.EvidenceRecord[]> {
    const rows = await this.sql<R.EvidenceRow[]>`
      SELECT * FROM offer_evidence WHERE offer_id = ${offerId} ORDER BY confirmed_at, id`;
    return rows.map(R.evidenceFromRow);
  }

  async secret(name: string): Promise<Buffer> {
    await this
      .sql`INSERT INTO offer_secrets (name, value) VALUES (${name}, ${randomBytes(32)}) ON CONFLICT (name) DO NOTHING`;
    const [row] = await this.sql<{ value: Buffer }[]>`SELECT value FROM offer_secrets WHERE name = ${name}`;
    if (!row) throw new Error(`secret ${name} missing right after insert`);
    return Buffer.from(row.value);
  }

  private async toOffer(row: R.OfferRow): Promise<O.OfferRecord> {
    const [files, recipients] = await Promise.all([
      this.sql<R.FileRow[]>`
        SELECT id, role, name, content_type, sha256, size FROM offer_files WHERE offer_id = ${row.id} ORDER BY position`,
      this.sql<R.RecipientRow[]>`
        SELECT token, recipient_email, recipient_name, contact_kind FROM offer_recipients WHERE offer_id = ${row.id}
        ORDER BY position`,
    ]);
    return R.offerFromRows(row, files, recipients);
  }

  async offersForChain(accountId: string, chained: ReadonlySet<string>, limit: number): Promise<O.PendingOffer[]> {
    const all = await this.sql<{ id: string }[]>`
      SELECT id FROM offers WHERE account_id = ${accountId} ORDER BY created_at, id`;
    const ids = all.map((r) => r.id).filter((id) => !chained.has(id)).slice(0, limit);
    const out: O.PendingOffer[] = [];
    for (const id of ids) {
      const [r] = await this.sql<{ id: string; message_id: string; property: string; created_at: string }[]>`
        SELECT id, message_id, property, created_at FROM offers WHERE id = ${id}`;
      if (!r) continue;
      const files = await this.sql`
        SELECT id, role, name, content_type AS "contentType", sha256, size FROM offer_files
         WHERE offer_id = ${id} ORDER BY position`;
      const recipients = await this.sql<{ recipient_email: string | null }[]>`
        SELECT recipient_email FROM offer_recipients WHERE offer_id = ${id} ORDER BY position`;
      out.push({
        id: r.id,
        messageId: r.message_id,
        property: r.property,
        files: JSON.stringify(files.map((f) => ({ ...f }))),
        createdAt: r.created_at,
        recipients: recipients.map((x) => x.recipient_email).filter((e): e is string => e !== null),
      });
    }
    return out;
  }

  async confirmationsForChain(
    accountId: string,
    chained: ReadonlySet<string>,
    limit: number,
  ): Promise<O.PendingConfirmation[]> {
    const all = await this.sql<{ id: string }[]>`
      SELECT id FROM offer_evidence WHERE account_id = ${accountId} ORDER BY confirmed_at, id`;
    const ids = all.map((r) => r.id).filter((id) => !chained.has(id)).slice(0, limit);
    if (ids.length === 0) return [];
    const rows = await this.sql<O.PendingConfirmation[]>`
      SELECT e.id, e.offer_id AS "offerId", o.message_id AS "messageId", e.token,
             e.recipient_email AS "recipientEmail", e.confirmation, e.wording,
             e.wording_sha256 AS "wordingSha256", e.policy_version AS "policyVersion",
             e.confirmed_at AS "confirmedAt", e.ip, e.user_agent AS "userAgent"
        FROM offer_evidence e JOIN offers o ON o.id = e.offer_id
       WHERE e.id = ANY(${ids}) ORDER BY e.confirmed_at, e.id`;
    return rows.map((r) => ({ ...r }));
  }
}
