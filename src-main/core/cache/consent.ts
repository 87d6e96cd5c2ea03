import type Database from 'better-sqlite3';
import type { ConsentMode, ContactConsent } from '../../../src-shared/consent';

interface Row {
  email: string;
  mode: ConsentMode | null;
  state: ContactConsent['state'];
  state_at: string | null;
  updated_at: string;
  version: number;
}

const fromRow = (r: Row): ContactConsent => ({
  email: r.email,
  mode: r.mode,
  state: r.state,
  stateAt: r.state_at,
  updatedAt: r.updated_at,
  version: r.version,
});

/** Issue 17: contacts' tracking modes and consent as synced from the collector; consent links per delivery. */
export function createConsentRepo(db: Database.Database) {
  const upsert = db.prepare<Row>(`
    INSERT INTO contact_consent (email, mode, state, state_at, updated_at, version)
    VALUES (@email, @mode, @state, @state_at, @updated_at, @version)
    ON CONFLICT (email) DO UPDATE SET mode = excluded.mode, state = excluded.state, state_at = excluded.state_at,
      updated_at = excluded.updated_at, version = excluded.version
    WHERE excluded.version >= contact_consent.version`);
  const all = db.prepare<[], Row>('SELECT * FROM contact_consent ORDER BY email');
  const one = db.prepare<[string], Row>('SELECT * FROM contact_consent WHERE email = ?');
  const putLink = db.prepare(
    'INSERT OR REPLACE INTO delivery_consent_links (activity_id, email, consent_url) VALUES (?, ?, ?)',
  );
  const link = db.prepare<[string, string], { consent_url: string }>(
    'SELECT consent_url FROM delivery_consent_links WHERE activity_id = ? AND email = ?',
  );
  return {
    /** stores what the collector said (a newer version wins; an older one arriving late is ignored) */
    apply(contacts: readonly ContactConsent[]): void {
      for (const c of contacts)
        upsert.run({
          email: c.email.toLowerCase(),
          mode: c.mode,
          state: c.state,
          state_at: c.stateAt,
          updated_at: c.updatedAt,
          version: c.version,
        });
    },
    list(): ContactConsent[] {
      return all.all().map(fromRow);
    },
    get(email: string): ContactConsent | null {
      const r = one.get(email.trim().toLowerCase());
      return r ? fromRow(r) : null;
    },
    saveConsentLinks(activityId: string, links: readonly { email: string; consentUrl: string }[]): void {
      for (const l of links) putLink.run(activityId, l.email.toLowerCase(), l.consentUrl);
    },
    consentLink(activityId: string, email: string): string | null {
      return link.get(activityId, email.toLowerCase())?.consent_url ?? null;
    },
  };
}
export type ConsentRepo = ReturnType<typeof createConsentRepo>;
