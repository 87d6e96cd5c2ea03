import type { Migration } from './types';

/**
 * Issue 22: 1,000 new events into a full cache within 50 ms. `events_by_recipient` (migration 012)
 * served only an admin's erasure on this computer, yet every synced event paid for it: the
 * addresses of a mailing's recipients are spread over the index, so a catch-up page wrote one
 * index page per recipient (measured on 1,000,000 events of one 500-recipient mailing: 35–48 ms
 * of CPU per 1,000 new events with the index, 12–15 ms without). The erasure now reads the events
 * table (~100 ms warm, ~400 ms cold for 1,000,000 events): a rare, deliberate action may take
 * that; the sync runs every few seconds. INBOX signals keep their index (few rows, rarely written).
 */
export const migration013: Migration = {
  version: 13,
  name: 'events_without_recipient_index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS events_by_recipient');
  },
};
