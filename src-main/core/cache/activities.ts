import { decodeOutboxError } from './outbox-error';
import { WORKABLE_STATES } from './outbox';
import type Database from 'better-sqlite3';
import type { ProspectLanguage } from '../../../src-shared/i18n/prospect';
import type { ActivityDto, OutboxState } from '../../../src-shared/ipc';
import { foldForSearch, searchPeople, searchTerms, type SearchTerms } from './search';

export type RecipientKind = 'to' | 'cc' | 'bcc';
export interface ActivityRecipient {
  kind: RecipientKind;
  email: string;
  name: string | null;
}
export interface StoredAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface NewActivity {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  html: string | null;
  text: string | null;
  trackRequested: boolean;
  tracked: boolean;
  sentIndividually: boolean;
  /** RFC 5322 Message-ID of the message (and of the copy filed in Sent) */
  messageId: string;
  createdAt: string;
  sentAt: string | null;
  fromOtherDevice: boolean;
  recipients: ActivityRecipient[];
  attachments: StoredAttachment[];
  /** the language of Blitz's own words in the copies; German when not given (migration 015) */
  prospectLanguage?: ProspectLanguage;
}

export interface ActivityRecord extends Omit<NewActivity, 'attachments' | 'prospectLanguage'> {
  seenLocalId: number;
  prospectLanguage: ProspectLanguage;
}

export type ActivityFilter = 'all' | 'tracked' | 'with_events' | 'unseen' | 'pending';

interface ActivityRow {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  html: string | null;
  text: string | null;
  track_requested: number;
  tracked: number;
  sent_individually: number;
  message_id: string;
  created_at: string;
  sent_at: string | null;
  from_other_device: number;
  seen_local_id: number;
  prospect_language: ProspectLanguage;
}

interface ListRow {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  sent_at: string | null;
  tracked: number;
  sent_individually: number;
  from_other_device: number;
  outbox_state: OutboxState | null;
  outbox_error: string | null;
  outbox_next_attempt_at: number | null;
  event_count: number;
  new_event_count: number;
  last_event_at: string | null;
  recipients_json: string;
}

/** the list's columns for the activity rows `a` (with its outbox row `o`) */
const LIST_COLUMNS = `
  a.id, a.kind, a.subject, a.sent_at, a.tracked, a.sent_individually, a.from_other_device,
    o.state AS outbox_state, o.error AS outbox_error, o.next_attempt_at AS outbox_next_attempt_at,
    a.event_count, a.new_event_count, a.last_event_at,
    (SELECT json_group_array(json_object('kind', r.kind, 'email', r.email, 'name', r.name))
      FROM (SELECT kind, email, name FROM activity_recipients
        WHERE activity_id = a.id ORDER BY position) r) AS recipients_json`;

/**
 * The counters (`event_count`, `new_event_count`, `last_event_at`) are kept per activity by
 * cache/events.ts (migration 009). They cover only events that count as the person (verdict human
 * or proxy): a prefetch or a scanner is shown in the feed but never makes an activity look opened
 * or new.
 */
export const LIST_SQL = `SELECT ${LIST_COLUMNS} FROM activities a LEFT JOIN outbox o ON o.activity_id = a.id`;

/**
 * An activity's counters from its events, for when its events were not counted one by one: a
 * collector message linked after its events arrived, a changed event (cache/events.ts).
 */
export const RECOUNT_SQL = `
  UPDATE activities SET (event_count, new_event_count, last_event_at) = (
    SELECT COUNT(*), COALESCE(SUM(e.local_id > activities.seen_local_id), 0), MAX(e.occurred_at)
    FROM activity_messages m JOIN events e ON e.collector_message_id = m.collector_message_id
    WHERE m.activity_id = activities.id AND e.verdict IN ('human', 'proxy'))
  WHERE id = ?`;

/** RECOUNT_SQL for every activity linked to a message id of the JSON array bound as `?` */
export const RECOUNT_MESSAGES_SQL = RECOUNT_SQL.replace(
  'WHERE id = ?',
  `WHERE id IN (SELECT m.activity_id FROM activity_messages m
    WHERE m.collector_message_id IN (SELECT value FROM json_each(?)))`,
);

/**
 * Newest first; `search_id` (unique, growing like the rowid) breaks ties so consecutive windows
 * neither repeat nor skip a row, and is the time index's second column, so a walk down the index
 * can test a search without reading the activity's row.
 */
export const LIST_ORDER = 'ORDER BY COALESCE(a.sent_at, a.created_at) DESC, a.search_id DESC';

/**
 * A search's hits up to this many are read through the trigram index and sorted; with more, the
 * list walks the time index and tests each row's folded text until the window is full (a word in
 * most subjects, like „Exposé“, would otherwise fetch and sort every activity for 100 rows).
 */
export const DENSE_SEARCH = 2_000;

/** the activities a window of the list shows, and how many there are in all */
export interface ActivityWindow {
  /** null: not counted yet (asked for with `countLater`; `count` answers it) */
  total: number | null;
  offset: number;
  items: ActivityDto[];
  /** activities with unseen events, whatever the filter; null while a search is typed (unchanged) unless asked for */
  unseen: number | null;
}

export interface ListQueries {
  /** the rowids of a window: params plus @limit and @offset */
  windowSql: string;
  /** how many rows the search and filter find */
  countSql: string;
  /**
   * countSql for the search ids from @lo up to (not including) @hi, when the count scans the
   * folded text; null when it reads an index (cheap, counted at once)
   */
  sliceCountSql: string | null;
  params: Record<string, string>;
}

/**
 * How many activities the search's long words match, counted on the trigram index up to
 * PROBE_CAP: below DENSE_SEARCH the window is read through the index; below the cap the figure is
 * the total of a search without short words or filter; at the cap, a scan of the folded text
 * counts faster than the index (a word in every subject has every row in each trigram's list).
 */
export const PROBE_CAP = 30_000;
export const PROBE_SQL = `SELECT count(*) AS n FROM (SELECT rowid FROM activity_search
  WHERE activity_search MATCH @match LIMIT ${PROBE_CAP})`;
/**
 * PROBE_SQL only as far as the choice of path needs (dense or not): a keystroke's window asked
 * with `countLater` reads at most DENSE_SEARCH postings of the trigram index, not PROBE_CAP (a
 * long word in a sixth of 100,000 subjects: 0.6 instead of 5 ms).
 */
export const DENSE_PROBE_SQL = PROBE_SQL.replace(`LIMIT ${PROBE_CAP}`, `LIMIT ${DENSE_SEARCH}`);

/**
 * A count that scans the folded text is done in slices of this many search ids, the event loop
 * free between them (`count`): a keystroke's window waits for one slice (~1 ms), not for the whole
 * scan of 100,000 rows (10–15 ms).
 */
export const COUNT_SLICE = 10_000;

function filterConditions(filter: ActivityFilter): string[] {
  if (filter === 'tracked') return ['a.tracked = 1'];
  if (filter === 'with_events') return ['a.event_count > 0'];
  if (filter === 'unseen') return ['a.new_event_count > 0'];
  if (filter === 'pending') return ["a.id IN (SELECT activity_id FROM outbox WHERE state <> 'filed')"];
  return [];
}

/**
 * The list's rows of a window (its rowids from ListQueries.windowSql). CROSS JOIN keeps the
 * window the outer loop: with a plain JOIN the planner walked all of `activities` down the time
 * index to skip sorting the window's 100 rows, probing the window for each (4–5 ms a page at
 * 100,000 activities, every keystroke and list open; the 100 rows sort in microseconds).
 */
export function pageSql(windowSql: string): string {
  return `SELECT ${LIST_COLUMNS} FROM (${windowSql}) w
    CROSS JOIN activities a ON a.rowid = w.rid
    LEFT JOIN outbox o ON o.activity_id = a.id
    ${LIST_ORDER}`;
}

/**
 * The statements of a search and filter. `dense`: the search's long words match at least
 * DENSE_SEARCH activities (PROBE_SQL), or it has none; then every word is tested on the
 * folded text, row by row, else the long words go through the trigram index.
 */
export function listQueries(terms: SearchTerms | null, filter: ActivityFilter, dense: boolean): ListQueries {
  const conditions = filterConditions(filter);
  const params: Record<string, string> = {};
  const words = terms ? (dense || !terms.match ? [...terms.long, ...terms.short] : terms.short) : [];
  const textTests = words.map((w, i) => {
    params[`w${i}`] = w;
    return `(instr(st.subject, @w${i}) > 0 OR instr(st.people, @w${i}) > 0)`;
  });
  const where = (c: string[]): string => (c.length ? `WHERE ${c.join(' AND ')}` : '');
  const window = (c: string[]): string =>
    `SELECT a.rowid AS rid FROM activities a ${where(c)} ${LIST_ORDER} LIMIT @limit OFFSET @offset`;
  const textExists = `EXISTS (SELECT 1 FROM activity_search_text st WHERE st.search_id = a.search_id
    AND ${textTests.join(' AND ')})`;
  if (terms?.match && !dense) {
    params.match = terms.match;
    const c = [
      'a.search_id IN (SELECT rowid FROM activity_search WHERE activity_search MATCH @match)',
      ...(textTests.length ? [textExists] : []),
      ...conditions,
    ];
    return {
      windowSql: window(c),
      countSql: `SELECT count(*) AS n FROM activities a ${where(c)}`,
      sliceCountSql: null,
      params,
    };
  }
  if (textTests.length === 0) {
    return {
      windowSql: window(conditions),
      countSql: `SELECT count(*) AS n FROM activities a ${where(conditions)}`,
      sliceCountSql: null,
      params,
    };
  }
  // the count reads the folded text in order, joining the activity only for a filter
  const countSql = (tests: string[]): string =>
    conditions.length
      ? `SELECT count(*) AS n FROM activity_search_text st JOIN activities a ON a.search_id = st.search_id
        ${where([...tests, ...conditions])}`
      : `SELECT count(*) AS n FROM activity_search_text st ${where(tests)}`;
  return {
    windowSql: window([textExists, ...conditions]),
    countSql: countSql(textTests),
    sliceCountSql: countSql(['st.search_id >= @lo', 'st.search_id < @hi', ...textTests]),
    params,
  };
}

/** a retry the outbox schedules by itself: only in states it works on alone, and only in the future */
function retryAt(state: OutboxState | null, at: number | null): string | null {
  if (state === null || at === null || at <= 0 || !WORKABLE_STATES.includes(state)) return null;
  return new Date(at).toISOString();
}

export function createActivitiesRepo(db: Database.Database) {
  const insertActivity = db.prepare(`
    INSERT INTO activities (id, kind, subject, html, text, track_requested, tracked, sent_individually,
      message_id, created_at, sent_at, from_other_device, search_id, prospect_language)
    VALUES (@id, @kind, @subject, @html, @text, @trackRequested, @tracked, @sentIndividually,
      @messageId, @createdAt, @sentAt, @fromOtherDevice, @searchId, @prospectLanguage)`);
  const insertSearchText = db.prepare<[string, string]>(
    'INSERT INTO activity_search_text (subject, people) VALUES (?, ?)',
  );
  const updateSearchPeople = db.prepare<[string, string]>(`
    UPDATE activity_search_text SET people = ?
    WHERE search_id = (SELECT search_id FROM activities WHERE id = ?)`);
  const insertRecipient = db.prepare(
    'INSERT INTO activity_recipients (activity_id, position, kind, email, name) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAttachment = db.prepare(
    'INSERT INTO attachments (activity_id, position, filename, content_type, content) VALUES (?, ?, ?, ?, ?)',
  );
  const getStmt = db.prepare<[string], ActivityRow>('SELECT * FROM activities WHERE id = ?');
  const recipientsStmt = db.prepare<[string], ActivityRecipient>(
    'SELECT kind, email, name FROM activity_recipients WHERE activity_id = ? ORDER BY position',
  );
  const attachmentsStmt = db.prepare<[string], { filename: string; content_type: string; content: Buffer }>(
    'SELECT filename, content_type, content FROM attachments WHERE activity_id = ? ORDER BY position',
  );
  const listOneStmt = db.prepare<[string], ListRow>(`${LIST_SQL} WHERE a.id = ?`);
  const unseenStmt = db.prepare<[], { n: number }>(
    'SELECT count(*) AS n FROM activities a WHERE a.new_event_count > 0',
  );
  const recountStmt = db.prepare<[string]>(RECOUNT_SQL);
  const messageHasEvents = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM events WHERE collector_message_id = ? LIMIT 1',
  );
  const linkMessageStmt = db.prepare<[string, string, string]>(`
    INSERT INTO activity_messages (collector_message_id, activity_id, client_id) VALUES (?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const activityByClientId = db.prepare<[string], { activity_id: string }>(
    'SELECT activity_id FROM activity_messages WHERE client_id = ?',
  );
  const activityByMessageId = db.prepare<[string], { activity_id: string }>(
    'SELECT activity_id FROM activity_messages WHERE collector_message_id = ?',
  );
  const setSentAt = db.prepare<[string, string]>(
    'UPDATE activities SET sent_at = COALESCE(sent_at, ?) WHERE id = ?',
  );
  const setTracked = db.prepare<[number, string]>('UPDATE activities SET tracked = ? WHERE id = ?');
  // every event of the activity is at or below the newest local_id: none is new any more
  const markSeenStmt = db.prepare<[string]>(`
    UPDATE activities SET seen_local_id = COALESCE((SELECT MAX(local_id) FROM events), 0),
      new_event_count = 0 WHERE id = ?`);
  const maxPosStmt = db.prepare<[string], { p: number | null }>(
    'SELECT MAX(position) AS p FROM activity_recipients WHERE activity_id = ?',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM activities WHERE id = ?');
  const existsStmt = db.prepare<[string], { id: string }>('SELECT id FROM activities WHERE id = ?');

  const toDto = (r: ListRow): ActivityDto => ({
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    recipients: JSON.parse(r.recipients_json) as ActivityRecipient[],
    sentAt: r.sent_at,
    tracked: r.tracked === 1,
    sentIndividually: r.sent_individually === 1,
    outboxState: r.outbox_state,
    outboxError: decodeOutboxError(r.outbox_error),
    outboxRetryAt: retryAt(r.outbox_state, r.outbox_next_attempt_at),
    eventCount: r.event_count,
    newEventCount: r.new_event_count,
    lastEventAt: r.last_event_at,
    fromOtherDevice: r.from_other_device === 1,
  });

  // one statement per shape of search and filter, prepared once
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let st = prepared.get(sql);
    if (!st) {
      st = db.prepare(sql);
      if (prepared.size > 100) prepared.clear();
      prepared.set(sql, st);
    }
    return st;
  };
  const unseenCount = (): number => unseenStmt.get()?.n ?? 0;
  const probeOf = (sql: string, terms: SearchTerms | null): number | null =>
    terms?.match ? (statement(sql).get({ match: terms.match }) as { n: number }).n : null;
  /** the probe's figure is the total: a search of long words alone, no filter, below the cap */
  const probeIsTotal = (
    probe: number | null,
    cap: number,
    terms: SearchTerms | null,
    filter: ActivityFilter,
  ) => probe !== null && probe < cap && terms?.short.length === 0 && filter === 'all';
  const maxSearchId = db.prepare<[], { n: number | null }>(
    'SELECT max(search_id) AS n FROM activity_search_text',
  );

  /** how many activities a search and filter find, with the statements the window used */
  function countWith(terms: SearchTerms | null, filter: ActivityFilter): { n: number } | { q: ListQueries } {
    const probe = probeOf(PROBE_SQL, terms);
    if (probeIsTotal(probe, PROBE_CAP, terms, filter)) return { n: probe! };
    const q = listQueries(terms, filter, probe === null || probe >= DENSE_SEARCH);
    return q.sliceCountSql ? { q } : { n: (statement(q.countSql).get(q.params) as { n: number }).n };
  }

  /**
   * A window of the list (the renderer virtualises and asks for the rows it shows) and the
   * total. The window's rowids come from the indexes alone; only its rows are read whole.
   */
  function windowOf(
    query: string,
    filter: ActivityFilter,
    offset: number,
    limit: number,
    /** count the unseen (the badge) during a search too; skipped per keystroke, where it does not change */
    withUnseen = false,
    /**
     * a keystroke: the rows first. A total that needs more than the window's own reading (a scan
     * of the folded text, the trigram index past DENSE_SEARCH) is left null, for `count` after
     * the list is on screen (issue 12: 1–2 letters counted all 100,000 rows inside the keystroke)
     */
    countLater = false,
  ): ActivityWindow {
    const terms = searchTerms(query);
    const probe = probeOf(countLater ? DENSE_PROBE_SQL : PROBE_SQL, terms);
    const dense = probe === null || probe >= DENSE_SEARCH;
    const q = listQueries(terms, filter, dense);
    const rows = statement(pageSql(q.windowSql)).all({ ...q.params, limit, offset }) as ListRow[];
    const unseen = terms && !withUnseen ? null : unseenCount();
    const done = (total: number | null): ActivityWindow => ({
      total,
      offset,
      items: rows.map(toDto),
      unseen,
    });
    // a first window that is not full is the whole result: no second pass to count it
    if (offset === 0 && rows.length < limit) return done(rows.length);
    if (probeIsTotal(probe, countLater ? DENSE_SEARCH : PROBE_CAP, terms, filter)) return done(probe);
    // the counts that read an index only (no search, a filter, a rare word) are cheap: at once
    if (countLater && q.sliceCountSql !== null) return done(null);
    return done((statement(q.countSql).get(q.params) as { n: number }).n);
  }

  /**
   * The total of a search and filter, for a window asked with `countLater`. A scan of the folded
   * text goes in slices of COUNT_SLICE search ids, yielding to the event loop between them, so a
   * keystroke typed meanwhile is answered after one slice, not after the whole scan.
   */
  async function countOf(query: string, filter: ActivityFilter): Promise<number> {
    const terms = searchTerms(query);
    const first = countWith(terms, filter);
    if ('n' in first) return first.n;
    const { q } = first;
    const sql = statement(q.sliceCountSql!);
    const top = (maxSearchId.get()?.n ?? 0) + 1;
    let n = 0;
    for (let lo = 0; lo < top; lo += COUNT_SLICE) {
      if (lo > 0) await new Promise((r) => setImmediate(r));
      n += (sql.get({ ...q.params, lo, hi: lo + COUNT_SLICE }) as { n: number }).n;
    }
    return n;
  }

  return {
    insert(a: NewActivity): void {
      const searchId = insertSearchText.run(
        foldForSearch(a.subject),
        searchPeople(a.recipients),
      ).lastInsertRowid;
      insertActivity.run({
        ...a,
        searchId,
        trackRequested: a.trackRequested ? 1 : 0,
        tracked: a.tracked ? 1 : 0,
        sentIndividually: a.sentIndividually ? 1 : 0,
        fromOtherDevice: a.fromOtherDevice ? 1 : 0,
        prospectLanguage: a.prospectLanguage ?? 'de',
      });
      a.recipients.forEach((r, i) => insertRecipient.run(a.id, i, r.kind, r.email, r.name));
      a.attachments.forEach((f, i) => insertAttachment.run(a.id, i, f.filename, f.contentType, f.content));
    },
    exists(id: string): boolean {
      return existsStmt.get(id) !== undefined;
    },
    get(id: string): ActivityRecord | null {
      const r = getStmt.get(id);
      if (!r) return null;
      return {
        id: r.id,
        kind: r.kind,
        subject: r.subject,
        html: r.html,
        text: r.text,
        trackRequested: r.track_requested === 1,
        tracked: r.tracked === 1,
        sentIndividually: r.sent_individually === 1,
        messageId: r.message_id,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        fromOtherDevice: r.from_other_device === 1,
        seenLocalId: r.seen_local_id,
        prospectLanguage: r.prospect_language,
        recipients: recipientsStmt.all(id),
      };
    },
    attachments(id: string): StoredAttachment[] {
      return attachmentsStmt
        .all(id)
        .map((r) => ({ filename: r.filename, contentType: r.content_type, content: r.content }));
    },
    dto(id: string): ActivityDto | null {
      const r = listOneStmt.get(id);
      return r ? toDto(r) : null;
    },
    /** the first `limit` activities of a search and filter, newest first */
    list(query: string, filter: ActivityFilter, limit = 25_000): ActivityDto[] {
      return windowOf(query, filter, 0, limit).items;
    },
    window: windowOf,
    count: countOf,
    /** activities with unseen events (the navigation's badge) */
    unseen: unseenCount,
    linkCollectorMessage(activityId: string, collectorMessageId: string, clientId: string): void {
      const linked = linkMessageStmt.run(collectorMessageId, activityId, clientId).changes > 0;
      // events that arrived before their registration count from now on
      if (linked && messageHasEvents.get(collectorMessageId)) recountStmt.run(activityId);
    },
    /** recounts an activity's counters from its events (cache/events.ts after a changed event) */
    recount(activityId: string): void {
      recountStmt.run(activityId);
    },
    activityIdForClientId(clientId: string): string | null {
      return activityByClientId.get(clientId)?.activity_id ?? null;
    },
    activityIdForMessage(collectorMessageId: string): string | null {
      return activityByMessageId.get(collectorMessageId)?.activity_id ?? null;
    },
    /** adds recipients not yet listed (a second registration of an activity from another device) */
    addRecipients(id: string, recipients: readonly ActivityRecipient[]): void {
      const known = new Set(recipientsStmt.all(id).map((r) => r.email.toLowerCase()));
      let pos = (maxPosStmt.get(id)?.p ?? -1) + 1;
      for (const r of recipients) {
        if (known.has(r.email.toLowerCase())) continue;
        known.add(r.email.toLowerCase());
        insertRecipient.run(id, pos++, r.kind, r.email, r.name);
      }
      updateSearchPeople.run(searchPeople(recipientsStmt.all(id)), id);
    },
    setSentAt(id: string, at: string): void {
      setSentAt.run(at, id);
    },
    setTracked(id: string, tracked: boolean): void {
      setTracked.run(tracked ? 1 : 0, id);
    },
    markSeen(id: string): void {
      markSeenStmt.run(id);
    },
    delete(id: string): void {
      deleteStmt.run(id);
    },
  };
}
export type ActivitiesRepo = ReturnType<typeof createActivitiesRepo>;
