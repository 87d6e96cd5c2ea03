import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ContactDto } from '../../../src-shared/ipc';

/** Contacts collected from the recipients the agent wrote to. */
export function createContactsRepo(db: Database.Database) {
  const upsertStmt = db.prepare<{ id: string; email: string; name: string | null; at: string }>(`
    INSERT INTO contacts (email, id, name, use_count, last_used_at) VALUES (@email, @id, @name, 1, @at)
    ON CONFLICT (email) DO UPDATE SET
      name = COALESCE(excluded.name, contacts.name),
      use_count = contacts.use_count + 1,
      last_used_at = excluded.last_used_at`);
  const suggestStmt = db.prepare<{ q: string; limit: number }, ContactDto>(`
    SELECT id, email, name FROM contacts
    WHERE @q = '' OR email LIKE @q ESCAPE '\\' OR name LIKE @q ESCAPE '\\'
    ORDER BY use_count DESC, last_used_at DESC LIMIT @limit`);
  return {
    remember(recipients: readonly { email: string; name: string | null }[], at: string): void {
      for (const r of recipients) {
        upsertStmt.run({
          id: randomUUID(),
          email: r.email,
          name: r.name && r.name.trim() ? r.name : null,
          at,
        });
      }
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
