import type Database from 'better-sqlite3';
import { RECOUNT_MESSAGES_SQL } from './activities';

/**
 * Issue 17 part 2 on the desktop: what the collector deleted (retention, erasure) leaves this
 * cache too. `dropEvents` applies the collector's tombstones; `eraseAddress` is an admin's
 * erasure on this computer, at once (other desktops follow through the tombstones). The activity
 * list's counters of the touched activities are recounted in the same transaction.
 */
export function createErasedRepo(db: Database.Database) {
  const messagesOf = db.prepare<[string], { m: string }>(
    'SELECT DISTINCT collector_message_id AS m FROM events WHERE id IN (SELECT value FROM json_each(?))',
  );
  const activitiesOf = db.prepare<[string], { id: string }>(
    `SELECT DISTINCT activity_id AS id FROM activity_messages
      WHERE collector_message_id IN (SELECT value FROM json_each(?))`,
  );
  const deleteEvents = db.prepare<[string]>(
    'DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))',
  );
  const deleteSignals = db.prepare<[string]>(
    'DELETE FROM mailbox_signals WHERE event_id IN (SELECT value FROM json_each(?))',
  );
  const recount = db.prepare<[string]>(RECOUNT_MESSAGES_SQL);
  // a scan of the events table since migration 013 (no index on the address): see there why
  const eventsOfAddress = db.prepare<[string], { id: string }>(
    'SELECT id FROM events WHERE recipient_email = ? COLLATE NOCASE',
  );
  const signalsOfAddress = db.prepare<[string, string]>(
    'DELETE FROM mailbox_signals WHERE recipient_email = ? COLLATE NOCASE OR from_email = ? COLLATE NOCASE',
  );
  const contact = db.prepare<[string]>('DELETE FROM contacts WHERE email = ? COLLATE NOCASE');
  const dealRejections = db.prepare<[string]>('DELETE FROM deal_rejections WHERE email = ? COLLATE NOCASE');
  const consent = db.prepare<[string]>('DELETE FROM contact_consent WHERE email = ? COLLATE NOCASE');
  const addressesOf = db.prepare<[string], { email: string }>(
    `SELECT DISTINCT lower(recipient_email) AS email FROM events
      WHERE id IN (SELECT value FROM json_each(?)) AND recipient_email IS NOT NULL`,
  );

  /** what this computer keeps about an address besides its events (the sent activities stay) */
  function forgetAddress(email: string): { signals: number; contacts: number } {
    const signals = signalsOfAddress.run(email, email).changes;
    const contacts = contact.run(email).changes;
    dealRejections.run(email);
    consent.run(email);
    return { signals, contacts };
  }

  /**
   * deletes the events (and INBOX signals) by id; returns the activities whose feed changed.
   * `erased`: those an erasure removed — their recipients' addresses are read here, before the
   * rows go, and forgotten too (the collector names no address in its tombstones)
   */
  function dropEvents(
    ids: readonly string[],
    erased: readonly string[] = [],
  ): { dropped: number; activities: string[] } {
    if (ids.length === 0) return { dropped: 0, activities: [] };
    const json = JSON.stringify(ids);
    return db.transaction(() => {
      const addresses = erased.length > 0 ? addressesOf.all(JSON.stringify(erased)).map((r) => r.email) : [];
      for (const a of addresses) forgetAddress(a);
      const messages = JSON.stringify(messagesOf.all(json).map((r) => r.m));
      const activities = activitiesOf.all(messages).map((r) => r.id);
      deleteSignals.run(json);
      const dropped = deleteEvents.run(json).changes;
      recount.run(messages);
      return { dropped, activities };
    })();
  }

  return {
    dropEvents,
    /**
     * The address's events, INBOX signals, autocomplete contact and landing-page rejections, in
     * any letter case. The agent's own sent mails (activities) stay: they are the agent's
     * correspondence, like the copy in the IMAP Sent folder (docs/privacy.md).
     */
    eraseAddress(email: string): { events: number; signals: number; contacts: number; activities: string[] } {
      return db.transaction(() => {
        const ids = eventsOfAddress.all(email).map((r) => r.id);
        const { signals, contacts } = forgetAddress(email);
        const { dropped, activities } = dropEvents(ids);
        return { events: dropped, signals, contacts, activities };
      })();
    },
  };
}

export type ErasedRepo = ReturnType<typeof createErasedRepo>;
