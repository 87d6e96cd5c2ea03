import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  DEFAULT_CONSENT_SETTINGS,
  type ConsentMode,
  type ConsentSettings,
  type ContactConsent,
} from '../../../src-shared/consent';
import {
  consentRecordFromRow,
  contactFromRow,
  settingsColumns,
  settingsFromRow,
  type ConsentRecordRow,
  type ContactRow,
  type SettingsRow,
} from '../consent/rows';
import type { ConsentRecord, ConsentStore, NewConsentRecord } from '../consent/types';
import { sameText } from '../rows';
import type { SubjectPart } from '../subject/types';

const same = sameText;
const bool = (b: number) => b === 1;

/** Issue 17: contacts' consent modes and states, consent records, consent settings (SQLite). */
export class SqliteConsent implements ConsentStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      settings: db.prepare<[string], SettingsRow<number>>(
        'SELECT default_mode, track_opens, track_clicks, track_landing, withdrawal_link FROM consent_settings WHERE account_id = ?',
      ),
      ensureSettings: db.prepare(
        'INSERT INTO consent_settings (account_id) VALUES (?) ON CONFLICT DO NOTHING',
      ),
      contact: db.prepare<[string, string], ContactRow<string>>(
        'SELECT email_lower, mode, consent_state, consent_at, updated_at, version FROM contacts WHERE account_id = ? AND email_lower = ?',
      ),
      nextVersion: db.prepare<[string], { v: number }>(
        'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM contacts WHERE account_id = ?',
      ),
      upsertMode: db.prepare(
        `INSERT INTO contacts (account_id, email_lower, mode, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, email_lower) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by, version = excluded.version`,
      ),
      upsertState: db.prepare(
        `INSERT INTO contacts (account_id, email_lower, mode, consent_state, consent_at, updated_at, updated_by, version)
         VALUES (?, ?, NULL, ?, ?, ?, 'prospect', ?)
         ON CONFLICT (account_id, email_lower) DO UPDATE SET consent_state = excluded.consent_state,
           consent_at = excluded.consent_at, updated_at = excluded.updated_at, version = excluded.version`,
      ),
      changedAfter: db.prepare<[string, number, number], ContactRow<string>>(
        `SELECT email_lower, mode, consent_state, consent_at, updated_at, version FROM contacts
         WHERE account_id = ? AND version > ? ORDER BY version LIMIT ?`,
      ),
      insertRecord: db.prepare(
        `INSERT INTO consent_records (id, account_id, email_lower, kind, message_id, token, wording, wording_sha256,
           wording_version, at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      recipients: db.prepare<[string], { recipients: string }>(
        'SELECT recipients FROM messages WHERE id = ?',
      ),
      records: db.prepare<[string, number], ConsentRecordRow<string>>(
        'SELECT * FROM consent_records WHERE account_id = ? ORDER BY at, id LIMIT ?',
      ),
    };
  }

  async consentSettings(accountId: string): Promise<ConsentSettings> {
    const r = this.s.settings.get(accountId);
    return r ? settingsFromRow(r, bool) : { ...DEFAULT_CONSENT_SETTINGS };
  }

  async putConsentSettings(accountId: string, update: Partial<ConsentSettings>): Promise<ConsentSettings> {
    const cols = settingsColumns(update);
    this.db.transaction(() => {
      this.s.ensureSettings.run(accountId);
      for (const [col, v] of cols) {
        // the column names come from settingsColumns' fixed list, never from the request
        this.db
          .prepare(`UPDATE consent_settings SET ${col} = ? WHERE account_id = ?`)
          .run(typeof v === 'boolean' ? (v ? 1 : 0) : v, accountId);
      }
    })();
    return this.consentSettings(accountId);
  }

  async contactsConsent(
    accountId: string,
    emailsLower: readonly string[],
  ): Promise<Map<string, ContactConsent>> {
    const out = new Map<string, ContactConsent>();
    for (const e of new Set(emailsLower)) {
      const r = this.s.contact.get(accountId, e);
      if (r) out.set(e, contactFromRow(r, same));
    }
    return out;
  }

  async setContactMode(
    accountId: string,
    emailLower: string,
    mode: ConsentMode | null,
    by: string,
    at: string,
  ): Promise<ContactConsent> {
    const row = this.db
      .transaction(() => {
        const v = (this.s.nextVersion.get(accountId) as { v: number }).v;
        this.s.upsertMode.run(accountId, emailLower, mode, at, by, v);
        return this.s.contact.get(accountId, emailLower) as ContactRow<string>;
      })
      .immediate();
    return contactFromRow(row, same);
  }

  async contactsChangedAfter(accountId: string, after: number, limit: number): Promise<ContactConsent[]> {
    return this.s.changedAfter.all(accountId, after, limit).map((r) => contactFromRow(r, same));
  }

  async recordConsent(input: NewConsentRecord): Promise<{ record: ConsentRecord; contact: ContactConsent }> {
    const record: ConsentRecord = { id: randomUUID(), ...input };
    const row = this.db
      .transaction(() => {
        this.s.insertRecord.run(
          record.id,
          record.accountId,
          record.emailLower,
          record.kind,
          record.messageId,
          record.token,
          record.wording,
          record.wordingSha256,
          record.wordingVersion,
          record.at,
          record.ip,
          record.userAgent,
        );
        const v = (this.s.nextVersion.get(input.accountId) as { v: number }).v;
        this.s.upsertState.run(input.accountId, input.emailLower, input.kind, input.at, input.at, v);
        return this.s.contact.get(input.accountId, input.emailLower) as ContactRow<string>;
      })
      .immediate();
    return { record, contact: contactFromRow(row, same) };
  }

  async messageRecipients(messageId: string): Promise<string[]> {
    const row = this.s.recipients.get(messageId);
    return row ? (JSON.parse(row.recipients) as { email: string }[]).map((r) => r.email.toLowerCase()) : [];
  }

  async consentsForChain(
    accountId: string,
    chained: ReadonlySet<string>,
    limit: number,
  ): Promise<ConsentRecord[]> {
    // consent records are few per account; read past the chained ones in time order
    const rows = this.s.records.all(accountId, chained.size + limit);
    return rows
      .map((r) => consentRecordFromRow(r, same))
      .filter((r) => !chained.has(r.id))
      .slice(0, limit);
  }
}

/** Issue 17, access and erasure: the contact row and the consent records of an address (SQLite). */
export function sqliteConsentSubjectParts(db: Database.Database): SubjectPart[] {
  return [
    {
      kind: 'contacts',
      async exportSubject(accountId, emailLower) {
        return db
          .prepare('SELECT * FROM contacts WHERE account_id = ? AND email_lower = ?')
          .all(accountId, emailLower.trim().toLowerCase()) as Record<string, unknown>[];
      },
      async eraseSubject(accountId, emailLower) {
        return db
          .prepare('DELETE FROM contacts WHERE account_id = ? AND email_lower = ?')
          .run(accountId, emailLower.trim().toLowerCase()).changes;
      },
    },
    {
      kind: 'consent',
      async exportSubject(accountId, emailLower) {
        return db
          .prepare('SELECT * FROM consent_records WHERE account_id = ? AND email_lower = ? ORDER BY at, id')
          .all(accountId, emailLower.trim().toLowerCase()) as Record<string, unknown>[];
      },
      async eraseSubject(accountId, emailLower) {
        return db
          .prepare('DELETE FROM consent_records WHERE account_id = ? AND email_lower = ?')
          .run(accountId, emailLower.trim().toLowerCase()).changes;
      },
    },
  ];
}
