import type { Migration } from './types';

/**
 * An event row's `body` stops repeating its own columns: it keeps what no column holds (detail,
 * offerId, the client fields but the verdict) and the event is put back together from both when
 * read (cache/events.ts). Measured on a first sync of 1,000,000 events, the repeated bytes were
 * about half of every row and most of the insert time: SQLite writes each byte to the WAL and
 * again at the checkpoint.
 */
export const migration003: Migration = {
  version: 3,
  name: 'compact_event_body',
  up(db) {
    db.exec(`
      UPDATE events SET body = json_remove(body, '$.id', '$.seq', '$.type', '$.messageId', '$.recipientEmail',
        '$.occurredAt', '$.client.verdict');
    `);
  },
};
