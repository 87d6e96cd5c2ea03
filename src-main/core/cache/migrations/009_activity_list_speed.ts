import { foldForSearch, searchPeople } from '../search';
import type { Migration } from './types';

/**
 * The activity list at a decade of mail (100,000 activities, 1,000,000 events) without counting
 * events per call (issue 12, `npm run bench -- --only ui`):
 * - per-activity counters (`event_count`, `new_event_count`, `last_event_at`) kept by
 *   cache/events.ts in the transaction that writes the events, and by cache/activities.ts when a
 *   collector message is linked or the feed is seen; backfilled here from the events already cached.
 *   They count what the list counted before: events with verdict human or proxy.
 * - an index on the list's sort key (and one per filter), so a window of the newest rows is read in order, not sorted.
 * - `activity_search`: FTS5 with the trigram tokenizer over the subject and the recipients (names
 *   and addresses), so a search for a part of a word is an index lookup instead of a LIKE over every
 *   row and its recipients. Its rowid is kept in `activities.search_id` (the implicit rowid of
 *   `activities` may be renumbered by a VACUUM; a column is not). Words shorter than a trigram are
 *   matched by a scan of the folded text (`activity_search_text`, the index's external content).
 */
export const migration009: Migration = {
  version: 9,
  name: 'activity_list_speed',
  up(db) {
    db.exec(`
      ALTER TABLE activities ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE activities ADD COLUMN new_event_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE activities ADD COLUMN last_event_at TEXT;
      ALTER TABLE activities ADD COLUMN search_id INTEGER;

      WITH s AS (
        SELECT m.activity_id,
          COUNT(*) AS n,
          SUM(e.local_id > a.seen_local_id) AS fresh,
          MAX(e.occurred_at) AS last_at
        FROM activity_messages m
        JOIN events e ON e.collector_message_id = m.collector_message_id
        JOIN activities a ON a.id = m.activity_id
        WHERE e.verdict IN ('human', 'proxy')
        GROUP BY m.activity_id
      )
      UPDATE activities SET event_count = s.n, new_event_count = s.fresh, last_event_at = s.last_at
      FROM s WHERE s.activity_id = activities.id;

      CREATE INDEX activities_by_time ON activities (COALESCE(sent_at, created_at), search_id);
      -- the list's filters: their window and their count read only the rows they show
      CREATE INDEX activities_tracked_by_time ON activities (COALESCE(sent_at, created_at), search_id) WHERE tracked = 1;
      CREATE INDEX activities_with_events_by_time ON activities (COALESCE(sent_at, created_at), search_id)
        WHERE event_count > 0;
      CREATE INDEX activities_unseen_by_time ON activities (COALESCE(sent_at, created_at), search_id)
        WHERE new_event_count > 0;

      -- the folded text (cache/search.ts) is the FTS index's external content: stored once
      CREATE TABLE activity_search_text (
        search_id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        people TEXT NOT NULL
      ) STRICT;
      CREATE VIRTUAL TABLE activity_search USING fts5(
        subject, people, content = 'activity_search_text', content_rowid = 'search_id',
        tokenize = 'trigram remove_diacritics 1'
      );
      CREATE TRIGGER activity_search_text_insert AFTER INSERT ON activity_search_text BEGIN
        INSERT INTO activity_search (rowid, subject, people) VALUES (new.search_id, new.subject, new.people);
      END;
      CREATE TRIGGER activity_search_text_delete AFTER DELETE ON activity_search_text BEGIN
        INSERT INTO activity_search (activity_search, rowid, subject, people)
          VALUES ('delete', old.search_id, old.subject, old.people);
      END;
      CREATE TRIGGER activity_search_text_update AFTER UPDATE ON activity_search_text BEGIN
        INSERT INTO activity_search (activity_search, rowid, subject, people)
          VALUES ('delete', old.search_id, old.subject, old.people);
        INSERT INTO activity_search (rowid, subject, people) VALUES (new.search_id, new.subject, new.people);
      END;
      CREATE TRIGGER activities_search_delete AFTER DELETE ON activities BEGIN
        DELETE FROM activity_search_text WHERE search_id = old.search_id;
      END;
      UPDATE activities SET search_id = rowid;
      CREATE UNIQUE INDEX activities_by_search_id ON activities (search_id);
    `);
    // folding (accents, case) is JavaScript's: the existing rows go through the same function as new ones
    const rows = db.prepare<[], { search_id: number; subject: string; people: string | null }>(`
      SELECT a.search_id, a.subject,
        (SELECT json_group_array(json_object('email', r.email, 'name', r.name))
          FROM (SELECT email, name FROM activity_recipients WHERE activity_id = a.id ORDER BY position) r) AS people
      FROM activities a`);
    const insert = db.prepare<[number, string, string]>(
      'INSERT INTO activity_search_text (search_id, subject, people) VALUES (?, ?, ?)',
    );
    for (const r of rows.all()) {
      const people = JSON.parse(r.people ?? '[]') as { email: string; name: string | null }[];
      insert.run(r.search_id, foldForSearch(r.subject), searchPeople(people));
    }
  },
};
