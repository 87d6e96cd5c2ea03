import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LandingLockSettings, OfferStatus, PropertyMarketStatus } from '../../../src-shared/api';
import type * as O from '../offers/types';
import * as R from '../offers/rows';

/**
 * Offers and their evidence (SQLite), on the collector's one connection: offers, recipients,
 * likes, legal confirmations with the full IP (offer_evidence), declarations, landing locks.
 */
export class SqliteOffers implements O.OfferStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      offerById: db.prepare<[string], R.OfferRow>('SELECT * FROM offers WHERE id = ?'),
      offerByMessage: db.prepare<[string], R.OfferRow>('SELECT * FROM offers WHERE message_id = ?'),
      offerByToken: db.prepare<[string], R.OfferRow & R.RecipientRow>(
        `SELECT o.*, r.token, r.recipient_email, r.recipient_name, r.contact_kind
         FROM offer_recipients r JOIN offers o ON o.id = r.offer_id WHERE r.token = ?`,
      ),
      files: db.prepare<[string], R.FileRow>(
        'SELECT id, role, name, content_type, sha256, size FROM offer_files WHERE offer_id = ? ORDER BY position',
      ),
      recipients: db.prepare<[string], R.RecipientRow>(
        'SELECT token, recipient_email, recipient_name, contact_kind FROM offer_recipients WHERE offer_id = ? ORDER BY position',
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
        'INSERT INTO offer_recipients (token, offer_id, position, recipient_email, recipient_name, contact_kind) VALUES (?, ?, ?, ?, ?, ?)',
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
      evidenceOnce: db.prepare<[string, string, string], { id: string }>(
        'SELECT id FROM offer_evidence WHERE token = ? AND confirmation = ? AND wording_sha256 = ?',
      ),
      evidenceRepeat: db.prepare(
        'UPDATE offer_evidence SET repeat_count = repeat_count + 1, last_seen_at = ? WHERE id = ?',
      ),
      confirmed: db.prepare<
        [string, string],
        { confirmation: string; wording_sha256: string; confirmed_at: string }
      >(
        'SELECT confirmation, wording_sha256, confirmed_at FROM offer_evidence WHERE offer_id = ? AND token = ? ORDER BY confirmed_at, rowid',
      ),
      insertDeclaration: db.prepare(
        `INSERT INTO offer_declarations (id, offer_id, account_id, token, recipient_email, declared_at, items, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      declarationsByToken: db.prepare<[string], R.DeclarationRow>(
        'SELECT * FROM offer_declarations WHERE token = ? ORDER BY declared_at DESC, rowid DESC',
      ),
      declaration: db.prepare<[string], R.DeclarationRow>('SELECT * FROM offer_declarations WHERE id = ?'),
      openDeclarations: db.prepare<[string, number], R.DeclarationRow>(
        `SELECT d.* FROM offer_declarations d JOIN offers o ON o.id = d.offer_id
         WHERE d.mail_state <> 'sent' AND o.user_id = ? ORDER BY d.declared_at, d.rowid LIMIT ?`,
      ),
      claim: db.prepare(
        `UPDATE offer_declarations SET mail_state = 'claimed', mail_claimed_by = @device, mail_claimed_until = @until
         WHERE id = @id AND (mail_state = 'pending' OR mail_claimed_by = @device OR mail_claimed_until < @now)
           AND mail_state <> 'sent'`,
      ),
      markSent: db.prepare(
        `UPDATE offer_declarations SET mail_state = 'sent', mail_sent_at = @at, mail_message_id = @mid,
           mail_claimed_by = @device
         WHERE id = @id AND mail_state <> 'sent' AND (mail_claimed_by = @device OR mail_claimed_by IS NULL)`,
      ),
      lockSettings: db.prepare<[string], { statuses: string }>(
        'SELECT statuses FROM landing_lock_settings WHERE account_id = ?',
      ),
      setLockSettings: db.prepare(
        `INSERT INTO landing_lock_settings (account_id, statuses) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET statuses = excluded.statuses`,
      ),
      setPropertyLock: db.prepare(
        `INSERT INTO landing_property_locks (account_id, property_key, status, lock_all, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, property_key) DO UPDATE SET status = excluded.status, lock_all = excluded.lock_all,
           updated_at = excluded.updated_at`,
      ),
      setContactLock: db.prepare(
        `INSERT INTO landing_contact_locks (account_id, email, archived, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, email) DO UPDATE SET archived = excluded.archived, updated_at = excluded.updated_at`,
      ),
      setDealLock: db.prepare(
        `INSERT INTO landing_deal_locks (account_id, property_key, email, rejected, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, property_key, email) DO UPDATE SET rejected = excluded.rejected,
           updated_at = excluded.updated_at`,
      ),
      locks: db.prepare<[string, string, string, string, string, string, string], R.LockRow>(
        `SELECT
           (SELECT statuses FROM landing_lock_settings WHERE account_id = ?) AS statuses,
           (SELECT status FROM landing_property_locks WHERE account_id = ? AND property_key = ?) AS status,
           (SELECT lock_all FROM landing_property_locks WHERE account_id = ? AND property_key = ?) AS lock_all,
           (SELECT archived FROM landing_contact_locks WHERE account_id = ? AND email = ?) AS archived,
           NULL AS rejected`,
      ),
      dealLock: db.prepare<[string, string, string], { rejected: number }>(
        'SELECT rejected FROM landing_deal_locks WHERE account_id = ? AND property_key = ? AND email = ?',
      ),
      evidence: db.prepare<[string], R.EvidenceRow>(
        'SELECT * FROM offer_evidence WHERE offer_id = ? ORDER BY confirmed_at, rowid',
      ),
      getSecret: db.prepare<[string], { value: Buffer }>('SELECT value FROM offer_secrets WHERE name = ?'),
      insertSecret: db.prepare('INSERT OR IGNORE INTO offer_secrets (name, value) VALUES (?, ?)'),
    };
  }

  async createOffer(input: O.NewOffer): Promise<{ created: boolean; offer: O.OfferRecord }> {
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
        this.s.insertRecipient.run(r.token, input.id, i, r.recipientEmail, r.recipientName, r.contactKind),
      );
      return { created: true, id: input.id };
    });
    const { created, id } = tx.immediate();
    const offer = await this.getOffer(id);
    if (!offer) throw new Error('offer vanished after its own commit');
    return { created, offer };
  }

  async getOffer(offerId: string): Promise<O.OfferRecord | null> {
    const row = this.s.offerById.get(offerId);
    return row ? this.toOffer(row) : null;
  }

  async offerForToken(token: string): Promise<{ offer: O.OfferRecord; recipient: O.OfferRecipient } | null> {
    const row = this.s.offerByToken.get(token);
    if (!row) return null;
    return { offer: this.toOffer(row), recipient: R.recipientFromRow(row) };
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

  async setStatus(offerId: string, status: OfferStatus, at: string): Promise<O.OfferRecord | null> {
    this.s.setStatus.run(status, at, offerId);
    return this.getOffer(offerId);
  }

  async likedUnits(offerId: string, token: string): Promise<Set<string>> {
    return new Set(this.s.likes.all(offerId, token).map((r) => r.unit_id));
  }

  async setLike(offerId: string, token: string, unitId: string, liked: boolean, at: string): Promise<void> {
    this.s.upsertLike.run(token, offerId, unitId, liked ? 1 : 0, at);
  }

  async recordDeclaration(
    input: O.NewDeclaration,
  ): Promise<{ newItems: string[]; declarationId: string | null }> {
    return this.db
      .transaction(() => {
        const newItems: string[] = [];
        for (const item of input.items) {
          const seen = this.s.evidenceOnce.get(input.token, item.confirmation, item.wordingSha256);
          if (seen) {
            this.s.evidenceRepeat.run(input.at, seen.id);
            continue;
          }
          newItems.push(item.confirmation);
          this.s.insertEvidence.run(
            randomUUID(),
            input.offerId,
            input.accountId,
            input.token,
            input.recipientEmail,
            item.confirmation,
            item.wording,
            item.wordingSha256,
            input.policyVersion,
            input.at,
            input.ip,
            input.userAgent,
          );
        }
        if (newItems.length === 0) return { newItems, declarationId: null };
        this.s.insertDeclaration.run(
          input.id,
          input.offerId,
          input.accountId,
          input.token,
          input.recipientEmail,
          input.at,
          JSON.stringify(input.items),
          input.ip,
          input.userAgent,
        );
        return { newItems, declarationId: input.id };
      })
      .immediate();
  }

  async confirmedFor(offerId: string, token: string): Promise<Map<string, O.ConfirmedItem>> {
    const out = new Map<string, O.ConfirmedItem>();
    for (const r of this.s.confirmed.all(offerId, token)) {
      // a later wording of the same confirmation (another version) replaces the earlier one
      out.set(r.confirmation, { wordingSha256: r.wording_sha256, confirmedAt: r.confirmed_at });
    }
    return out;
  }

  async declarationsFor(token: string): Promise<O.DeclarationRecord[]> {
    return this.s.declarationsByToken.all(token).map(R.declarationFromRow);
  }

  async getDeclaration(id: string): Promise<O.DeclarationRecord | null> {
    const r = this.s.declaration.get(id);
    return r ? R.declarationFromRow(r) : null;
  }

  async openDeclarations(userId: string, limit: number): Promise<O.DeclarationRecord[]> {
    return this.s.openDeclarations.all(userId, limit).map(R.declarationFromRow);
  }

  async claimDeclaration(id: string, device: string, now: string, until: string): Promise<O.ClaimOutcome> {
    return this.db
      .transaction((): O.ClaimOutcome => {
        const changed = this.s.claim.run({ id, device, now, until }).changes;
        const row = this.s.declaration.get(id);
        if (!row) return { outcome: 'missing' };
        if (changed > 0) return { outcome: 'claimed', declaration: R.declarationFromRow(row) };
        return { outcome: row.mail_state === 'sent' ? 'sent' : 'elsewhere' };
      })
      .immediate();
  }

  async markDeclarationSent(
    id: string,
    device: string,
    at: string,
    mailMessageId: string,
  ): Promise<{ outcome: 'sent' | 'elsewhere' | 'missing'; changed: boolean }> {
    return this.db
      .transaction(() => {
        const changed = this.s.markSent.run({ id, device, at, mid: mailMessageId }).changes > 0;
        const row = this.s.declaration.get(id);
        if (!row) return { outcome: 'missing' as const, changed };
        return { outcome: row.mail_state === 'sent' ? ('sent' as const) : ('elsewhere' as const), changed };
      })
      .immediate();
  }

  async lockSettings(accountId: string): Promise<LandingLockSettings> {
    return R.lockSettingsFromRow(this.s.lockSettings.get(accountId));
  }

  async setLockSettings(accountId: string, settings: LandingLockSettings): Promise<void> {
    this.s.setLockSettings.run(accountId, JSON.stringify(settings.statuses));
  }

  async setPropertyLock(
    accountId: string,
    propertyKey: string,
    status: PropertyMarketStatus,
    lockAll: boolean,
    at: string,
  ): Promise<void> {
    this.s.setPropertyLock.run(accountId, propertyKey, status, lockAll ? 1 : 0, at);
  }

  async setContactLock(accountId: string, email: string, archived: boolean, at: string): Promise<void> {
    this.s.setContactLock.run(accountId, email.toLowerCase(), archived ? 1 : 0, at);
  }

  async setDealLock(
    accountId: string,
    propertyKey: string,
    email: string,
    rejected: boolean,
    at: string,
  ): Promise<void> {
    this.s.setDealLock.run(accountId, propertyKey, email.toLowerCase(), rejected ? 1 : 0, at);
  }

  async lockFor(
    accountId: string,
    propertyKey: string | null,
    email: string | null,
  ): Promise<O.LockReason | null> {
    const key = propertyKey ?? '';
    const mail = (email ?? '').toLowerCase();
    const r = this.s.locks.get(accountId, accountId, key, accountId, key, accountId, mail);
    const deal = propertyKey && email ? this.s.dealLock.get(accountId, key, mail) : undefined;
    return R.lockFromRow(r, deal?.rejected === 1);
  }

  async listEvidence(offerId: string): Promise<O.EvidenceRecord[]> {
    return this.s.evidence.all(offerId).map(R.evidenceFromRow);
  }

  async secret(name: string): Promise<Buffer> {
    // INSERT OR IGNORE: two instances racing both end up reading the one stored value
    this.s.insertSecret.run(name, randomBytes(32));
    const row = this.s.getSecret.get(name);
    if (!row) throw new Error(`secret ${name} missing right after insert`);
    return Buffer.from(row.value);
  }

  async offersForChain(accountId: string, chained: ReadonlySet<string>, limit: number): Promise<O.PendingOffer[]> {
    const ids = (
      this.db
        .prepare('SELECT id FROM offers WHERE account_id = ? ORDER BY created_at, id')
        .pluck()
        .all(accountId) as string[]
    )
      .filter((id) => !chained.has(id))
      .slice(0, limit);
    const one = this.db.prepare<[string], { id: string; message_id: string; property: string; created_at: string }>(
      'SELECT id, message_id, property, created_at FROM offers WHERE id = ?',
    );
    const files = this.db.prepare<[string], Record<string, unknown>>(
      'SELECT id, role, name, content_type AS contentType, sha256, size FROM offer_files WHERE offer_id = ? ORDER BY position',
    );
    const recipients = this.db
      .prepare('SELECT recipient_email FROM offer_recipients WHERE offer_id = ? ORDER BY position')
      .pluck();
    return ids.flatMap((id) => {
      const r = one.get(id);
      if (!r) return [];
      return [
        {
          id: r.id,
          messageId: r.message_id,
          property: r.property,
          files: JSON.stringify(files.all(r.id)),
          createdAt: r.created_at,
          recipients: (recipients.all(r.id) as (string | null)[]).filter((e): e is string => e !== null),
        },
      ];
    });
  }

  async confirmationsForChain(
    accountId: string,
    chained: ReadonlySet<string>,
    limit: number,
  ): Promise<O.PendingConfirmation[]> {
    const ids = (
      this.db
        .prepare('SELECT id FROM offer_evidence WHERE account_id = ? ORDER BY confirmed_at, id')
        .pluck()
        .all(accountId) as string[]
    )
      .filter((id) => !chained.has(id))
      .slice(0, limit);
    const one = this.db.prepare<[string], O.PendingConfirmation>(
      `SELECT e.id, e.offer_id AS offerId, o.message_id AS messageId, e.token,
              e.recipient_email AS recipientEmail, e.confirmation, e.wording,
              e.wording_sha256 AS wordingSha256, e.policy_version AS policyVersion,
              e.confirmed_at AS confirmedAt, e.ip, e.user_agent AS userAgent
         FROM offer_evidence e JOIN offers o ON o.id = e.offer_id WHERE e.id = ?`,
    );
    return ids.flatMap((id) => {
      const r = one.get(id);
      return r ? [r] : [];
    });
  }

  private toOffer(row: R.OfferRow): O.OfferRecord {
    return R.offerFromRows(row, this.s.files.all(row.id), this.s.recipients.all(row.id));
  }
}
