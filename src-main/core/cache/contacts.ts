import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ProspectLanguage } from '../../../src-shared/i18n/prospect';
import type { ContactDto } from '../../../src-shared/ipc';

/** Contacts collected from the recipients the agent wrote to. */
export function createContactsRepo(db: Database.Database) {
  const upsertStmt = db.prepare<{
    id: string;
    email: string;
    name: string | null;
    at: string;
    language: ProspectLanguage | null;
  }>(`
    INSERT INTO contacts (email, id, name, use_count, last_used_at, prospect_language)
    VALUES (@email, @id, @name, 1, @at, @language)
    ON CONFLICT (email) DO UPDATE SET
      name = COALESCE(excluded.name, contacts.name),
      use_count = contacts.use_count + 1,
      last_used_at = excluded.last_used_at,
      prospect_language = COALESCE(excluded.prospect_language, contacts.prospect_language)`);
  const nameStmt = db.prepare<[string], { name: string | null }>('SELECT name FROM contacts WHERE email = ?');
  // the column's NOCASE collation applies to the IN: „Anna@…“ finds anna@…
  const languagesStmt = db.prepare<
    [string],
    { known: number; languages: number; language: ProspectLanguage | null }
  >(`
    SELECT count(*) AS known, count(DISTINCT prospect_language) AS languages, max(prospect_language) AS language
    FROM contacts WHERE prospect_language IS NOT NULL AND email IN (SELECT value FROM json_each(?))`);
  const suggestStmt = db.prepare<{ q: string; limit: number }, ContactDto>(`
    SELECT id, email, name FROM contacts
    WHERE @q = '' OR email LIKE @q ESCAPE '\\' OR name LIKE @q ESCAPE '\\'
    ORDER BY use_count DESC, last_used_at DESC LIMIT @limit`);
  return {
    /** `language`: what this send was written in; absent (a sync from another device) keeps the last one */
    remember(
      recipients: readonly { email: string; name: string | null }[],
      at: string,
      language?: ProspectLanguage,
    ): void {
      for (const r of recipients) {
        upsertStmt.run({
          id: randomUUID(),
          email: r.email,
          name: r.name && r.name.trim() ? r.name : null,
          at,
          language: language ?? null,
        });
      }
    },
    /** the language last sent to every one of these addresses, when it is the same for all; else null */
    commonLanguage(emails: readonly string[]): ProspectLanguage | null {
      const distinct = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
      if (distinct.length === 0) return null;
      const r = languagesStmt.get(JSON.stringify(distinct));
      return r && r.known === distinct.length && r.languages === 1 ? r.language : null;
    },
    /** the name stored for an address (any letter case), when there is one */
    nameOf(email: string): string | null {
      return nameStmt.get(email.trim())?.name ?? null;
    },
    suggest(query: string, limit = 10): ContactDto[] {
      const q = query.trim() === '' ? '' : `%${escapeLike(query.trim())}%`;
      return suggestStmt.all({ q, limit });
    },
  };
}
export type ContactsRepo = ReturnType<typeof createContactsRepo>;

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
