import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
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
import { isoOf } from '../rows';
import type { SubjectPart } from '../subject/types';

const bool = (b: boolean) => b;

/**
 * The account's next contact version, under a transaction-scoped advisory lock of the account:
 * two instances changing contacts of one account take turns, so versions commit in order and a
 * desktop's `after` cursor never passes a version that commits later.
 */
async function nextVersion(tx: TransactionSql, accountId: string): Promise<number> {
  await tx`SELECT pg_advisory_xact_lock(hashtext(${`blitz-contacts:${accountId}`}))`;
  const [r] = await tx<
    { v: number }[]
  >`SELECT COALESCE(MAX(version), 0) + 1 AS v FROM contacts WHERE account_id = ${accountId}`;
  return Number(r?.v ?? 1);
}

async function contactRow(q: Sql | TransactionSql, accountId: string, emailLower: string) {
  const [row] = await q<ContactRow<Date>[]>`
    SELECT email_lower, mode, consent_state, consent_at, updated_at, version FROM contacts
    WHERE account_id = ${accountId} AND email_lower = ${emailLower}`;
  return row;
}

/** Issue 17: contacts' consent modes and states, consent records, consent settings (PostgreSQL). */
export class PgConsent implements ConsentStore {
  constructor(private readonly sql: Sql) {}

  async consentSettings(accountId: string): Promise<ConsentSettings> {
    const [r] = await this.sql<SettingsRow<boolean>[]>`
      SELECT default_mode, track_opens, track_clicks, track_landing, withdrawal_link FROM consent_settings
      WHERE account_id = ${accountId}`;
    return r ? settingsFromRow(r, bool) : { ...DEFAULT_CONSENT_SETTINGS };
  }

  async putConsentSettings(accountId: string, update: Partial<ConsentSettings>): Promise<ConsentSettings> {
    const cols = settingsColumns(update);
    await this.sql.begin(async (tx) => {
      await tx`INSERT INTO consent_settings (account_id) VALUES (${accountId}) ON CONFLICT DO NOTHING`;
      for (const [col, v] of cols) {
        await tx`UPDATE consent_settings SET ${tx(col)} = ${v} WHERE account_id = ${accountId}`;
      }
    });
    return this.consentSettings(accountId);
  }

  async contactsConsent(
    accountId: string,
    emailsLower: readonly string[],
  ): Promise<Map<string, ContactConsent>> {
    const out = new Map<string, ContactConsent>();
    const list = [...new Set(emailsLower)];
    if (list.length === 0) return out;
    const rows = await this.sql<ContactRow<Date>[]>`
      SELECT email_lower, mode, consent_state, consent_at, updated_at, version FROM contacts
      WHERE account_id = ${accountId} AND email_lower = ANY(${list})`;
    for (const r of rows) out.set(r.email_lower, contactFromRow(r, isoOf));
    return out;
  }

  async setContactMode(
    accountId: string,
    emailLower: string,
    mode: ConsentMode | null,
    by: string,
    at: string,
  ): Promise<ContactConsent> {
    const row = await this.sql.begin(async (tx) => {
      const v = await nextVersion(tx, accountId);
      await tx`INSERT INTO contacts (account_id, email_lower, mode, updated_at, updated_by, version)
        VALUES (${accountId}, ${emailLower}, ${mode}, ${at}, ${by}, ${v})
        ON CONFLICT (account_id, email_lower) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at,
          updated_by = excluded.updated_by, version = excluded.version`;
      return contactRow(tx, accountId, emailLower);
    });
    if (!row) throw new Error('contact vanished inside its own transaction');
    return contactFromRow(row, isoOf);
  }

  async contactsChangedAfter(accountId: string, after: number, limit: number): Promise<ContactConsent[]> {
    const rows = await this.sql<ContactRow<Date>[]>`
      SELECT email_lower, mode, consent_state, consent_at, updated_at, version FROM contacts
      WHERE account_id = ${accountId} AND version > ${after} ORDER BY version LIMIT ${limit}`;
    return rows.map((r) => contactFromRow(r, isoOf));
  }

  async recordConsent(input: NewConsentRecord): Promise<{ record: ConsentRecord; contact: ContactConsent }> {
    const record: ConsentRecord = { id: randomUUID(), ...input };
    const row = await this.sql.begin(async (tx) => {
      await tx`INSERT INTO consent_records (id, account_id, email_lower, kind, message_id, token, wording, wording_sha256,
          wording_version, at, ip, user_agent)
        VALUES (${record.id}, ${record.accountId}, ${record.emailLower}, ${record.kind}, ${record.messageId},
          ${record.token}, ${record.wording}, ${record.wordingSha256}, ${record.wordingVersion}, ${record.at},
          ${record.ip}, ${record.userAgent})`;
      const v = await nextVersion(tx, input.accountId);
      await tx`INSERT INTO contacts (account_id, email_lower, mode, consent_state, consent_at, updated_at, updated_by, version)
        VALUES (${input.accountId}, ${input.emailLower}, NULL, ${input.kind}, ${input.at}, ${input.at}, 'prospect', ${v})
        ON CONFLICT (account_id, email_lower) DO UPDATE SET consent_state = excluded.consent_state,
          consent_at = excluded.consent_at, updated_at = excluded.updated_at, version = excluded.version`;
      return contactRow(tx, input.accountId, input.emailLower);
    });
    if (!row) throw new Error('contact vanished inside its own transaction');
    return { record, contact: contactFromRow(row, isoOf) };
  }

  async messageRecipients(messageId: string): Promise<string[]> {
    const [row] = await this.sql<
      { recipients: unknown }[]
    >`SELECT recipients FROM messages WHERE id = ${messageId}`;
    if (!row) return [];
    const list = (typeof row.recipients === 'string' ? JSON.parse(row.recipients) : row.recipients) as {
      email: string;
    }[];
    return list.map((r) => r.email.toLowerCase());
  }

  async consentsForChain(
    accountId: string,
    chained: ReadonlySet<string>,
    limit: number,
  ): Promise<ConsentRecord[]> {
    const rows = await this.sql<ConsentRecordRow<Date>[]>`
      SELECT * FROM consent_records WHERE account_id = ${accountId} ORDER BY at, id LIMIT ${chained.size + limit}`;
    return rows
      .map((r) => consentRecordFromRow(r, isoOf))
      .filter((r) => !chained.has(r.id))
      .slice(0, limit);
  }
}

/** Issue 17, access and erasure: the contact row and the consent records of an address (PostgreSQL). */
export function pgConsentSubjectParts(sql: Sql): SubjectPart[] {
  const norm = (e: string) => e.trim().toLowerCase();
  return [
    {
      kind: 'contacts',
      async exportSubject(accountId, emailLower) {
        const rows =
          await sql`SELECT * FROM contacts WHERE account_id = ${accountId} AND email_lower = ${norm(emailLower)}`;
        return rows.map((r) => ({ ...r }));
      },
      async eraseSubject(accountId, emailLower) {
        const r =
          await sql`DELETE FROM contacts WHERE account_id = ${accountId} AND email_lower = ${norm(emailLower)}`;
        return r.count;
      },
    },
    {
      kind: 'consent',
      async exportSubject(accountId, emailLower) {
        const rows = await sql`SELECT * FROM consent_records WHERE account_id = ${accountId}
          AND email_lower = ${norm(emailLower)} ORDER BY at, id`;
        return rows.map((r) => ({ ...r }));
      },
      async eraseSubject(accountId, emailLower) {
        const r =
          await sql`DELETE FROM consent_records WHERE account_id = ${accountId} AND email_lower = ${norm(emailLower)}`;
        return r.count;
      },
    },
  ];
}
