import type { Migration } from './types';

/**
 * Issue 17 part 2: the cache drops what the collector deleted (tombstones, sync/tombstones.ts)
 * and an admin's erasure removes an address from this computer at once (cache/erased.ts). Both
 * find events and INBOX signals by address in any letter case: indexes for that, so an erasure
 * does not scan a decade of events.
 */
export const migration012: Migration = {
  version: 12,
  name: 'erasure',
  up(db) {
    db.exec(`
      CREATE INDEX events_by_recipient ON events (recipient_email COLLATE NOCASE) WHERE recipient_email IS NOT NULL;
      CREATE INDEX mailbox_signals_by_recipient ON mailbox_signals (recipient_email COLLATE NOCASE)
        WHERE recipient_email IS NOT NULL;
    `);
  },
};
