import type Database from 'better-sqlite3';
import { TrackingEvent } from '../../../src-shared/events';
import { RECOUNT_MESSAGES_SQL, RECOUNT_SQL } from './activities';

export type ApplyOutcome = 'inserted' | 'updated' | 'unchanged';

export interface StoredEvent {
  localId: number;
  event: TrackingEvent;
}

interface EventRowOut {
  local_id: number;
  id: string;
  seq: number;
  collector_message_id: string;
  type: string;
  recipient_email: string | null;
  occurred_at: string;
  verdict: string;
  body: string;
}

/** the columns of an event row as EventRowOut reads them (the body is stored as JSONB: migration 014) */
const COLUMNS = (p: string): string =>
  ['local_id', 'id', 'seq', 'collector_message_id', 'type', 'recipient_email', 'occurred_at', 'verdict']
    .map((c) => p + c)
    .concat(`json(${p}body) AS body`)
    .join(', ');

/** What no column holds (migration 003): the columns are not stored twice. */
export function bodyOf(e: TrackingEvent): string {
  const { verdict: _verdict, ...client } = e.client;
  return JSON.stringify(
    e.offerId === undefined ? { detail: e.detail, client } : { offerId: e.offerId, detail: e.detail, client },
  );
}

/** The event put back together from its columns and its body, checked like one received. */
function fromRow(r: EventRowOut): TrackingEvent {
  const rest = JSON.parse(r.body) as { client?: Record<string, unknown> } & Record<string, unknown>;
  return TrackingEvent.parse({
    ...rest,
    id: r.id,
    seq: r.seq,
    type: r.type,
    messageId: r.collector_message_id,
    recipientEmail: r.recipient_email,
    occurredAt: r.occurred_at,
    client: { ...rest.client, verdict: r.verdict },
  });
}

/** An event as the events table stores it, in the column order of insertRowsJson. */
export type EventRow = [
  id: string,
  seq: number,
  messageId: string,
  type: string,
  recipientEmail: string | null,
  occurredAt: string,
  verdict: string,
  body: string,
];
export function eventRow(e: TrackingEvent): EventRow {
  return [e.id, e.seq, e.messageId, e.type, e.recipientEmail, e.occurredAt, e.client.verdict, bodyOf(e)];
}

/** the upsert of every insert of events: a new id inserts, a higher seq replaces, else nothing */
const UPSERT_NEWER = `ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, collector_message_id = excluded.collector_message_id,
    type = excluded.type, recipient_email = excluded.recipient_email, occurred_at = excluded.occurred_at,
    verdict = excluded.verdict, body = excluded.body
  WHERE excluded.seq > events.seq`;

/**
 * Upserts a whole page of rows given as ONE JSON array of EventRow (a catch-up's new events, and a
 * first sync's page the quick check declined): SQLite reads the rows out of the text itself, so no
 * JavaScript value is made per row or column on the thread that writes. Same rule as applyMany: a
 * new id inserts, a higher seq replaces. JSONB for the reason given at INSERT_PAGE_JSON_SQL; each
 * body, a JSON text in the row, is parsed into the JSONB the table stores (migration 014).
 */
export const INSERT_ROWS_JSON_SQL = `
  INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, jsonb(value ->> 7)
  FROM jsonb_each(jsonb(?)) WHERE true
  ${UPSERT_NEWER}`;

/**
 * Upserts the events of a pull page given as the collector's page text (`{"events": [...], ...}`,
 * as a string or as its UTF-8 bytes: a first sync binds the bytes it received, as a BLOB cast to
 * TEXT, since binding a 1.7 MB JS string cost ~16 ms per page in better-sqlite3's UTF-8 conversion),
 * each already checked against TrackingEvent (sync/page-check.ts): SQLite takes the columns and
 * builds the body (bodyOf: offerId when present, detail, client without the verdict) out of the
 * text itself (the event without the columns' keys: the check let no other key through; one
 * json_remove cost ~1.5 ms less per page of 5,000 than json_object over its parts; jsonb_remove
 * since the body is stored as JSONB, migration 014), so a first sync makes no JavaScript value per
 * event on the writing side. Same rule as applyMany: a new id inserts, a higher seq replaces. The
 * text is parsed once into JSONB (jsonb_each): over json_each every `->>` parsed the event's text
 * again, which made the insert ~3 times slower (1.56 s against 0.54 s for 100,000 events).
 */
export const INSERT_PAGE_JSON_SQL = `
  INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
  SELECT value ->> 'id', value ->> 'seq', value ->> 'messageId', value ->> 'type', value ->> 'recipientEmail',
    value ->> 'occurredAt', value ->> '$.client.verdict',
    jsonb_remove(value, '$.id', '$.seq', '$.type', '$.messageId', '$.recipientEmail', '$.occurredAt',
      '$.client.verdict')
  FROM jsonb_each(jsonb(CAST(? AS TEXT)), '$.events') WHERE true
  ${UPSERT_NEWER}`;

/**
 * Upserts the events of a pull page of the rows shape (src-shared/event-rows.ts: `{"rows": [...],
 * ...}`, its text or UTF-8 bytes as for INSERT_PAGE_JSON_SQL), each row already checked
 * (sync/page-check.ts): its members are the columns in order and its last the body, copied as the
 * JSONB it already is in the parsed page (`jsonb_extract`; rendering it as text with `-> 7` cost
 * ~0.3 s per 1,000,000 events: migration 014). A first sync asks for this shape:
 * INSERT_PAGE_JSON_SQL looks up each column by key and rebuilds each body with jsonb_remove,
 * ~2.5 ms more per page of 5,000 (20.3 against 17.8 ms of CPU), and the page is a fifth larger.
 */
export const INSERT_PAGE_ROWS_SQL = `
  INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
    jsonb_extract(value, '$[7]')
  FROM jsonb_each(jsonb(CAST(? AS TEXT)), '$.rows') WHERE true
  ${UPSERT_NEWER}`;

/** fewer new rows than this go in one statement each */
const JSON_ROWS_MIN = 8;
/** the columns an INSERT of an event binds */
const ROW_FIELDS = 8;

/** Tracking events, upserted by event id (a higher seq wins); see bodyOf for what a row holds. */
export function createEventsRepo(db: Database.Database) {
  // the ids seqsStmt did not find are inserted together (writeEvents); each body is bound as JSON
  // text and stored as JSONB (migration 014)
  const rowValues = `(${[...Array<string>(ROW_FIELDS - 1).fill('?'), 'jsonb(?)'].join(', ')})`;
  const insertSql = (rows: number): string => `
    INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
    VALUES ${Array<string>(rows).fill(rowValues).join(', ')}`;
  const insertOne = db.prepare(insertSql(1));
  // one statement does the whole upsert: a new id inserts, a higher seq replaces, an equal or
  // lower seq (a replayed or reordered page) leaves the row alone
  const upsertStmt = db.prepare(`${insertSql(1)} ${UPSERT_NEWER}`);
  // the stored seq of a page's ids in one statement, so the outcome (inserted or updated) is known
  // without a SELECT per event
  const seqsStmt = db.prepare<[string], { id: string; seq: number; collector_message_id: string }>(
    'SELECT id, seq, collector_message_id FROM events WHERE id IN (SELECT value FROM json_each(?))',
  );
  // the activity list's counters (migration 009), kept in the transaction that writes the events;
  // prepared on first use, so the repo still reads an older schema (the migration tests do)
  let counterStmts: CounterStatements | null = null;
  const counters = (): CounterStatements =>
    (counterStmts ??= {
      activityOf: db.prepare<[string], { activity_id: string }>(
        'SELECT activity_id FROM activity_messages WHERE collector_message_id = ?',
      ),
      // one statement per page: the new events' counts per message, summed per activity (a new
      // event has the highest local_id so far, above every activity's seen_local_id: it is new)
      countNew: db.prepare<{ added: string; recounted: string }>(`
        UPDATE activities SET event_count = event_count + d.n, new_event_count = new_event_count + d.n,
          last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < d.last THEN d.last
            ELSE last_event_at END
        FROM (
          SELECT m.activity_id AS id, SUM(j.value ->> '$.n') AS n, MAX(j.value ->> '$.last') AS last
          FROM json_each(@added) j JOIN activity_messages m ON m.collector_message_id = j.value ->> '$.m'
          GROUP BY m.activity_id
        ) d
        WHERE activities.id = d.id AND d.id NOT IN (SELECT value FROM json_each(@recounted))`),
      // the events above a local_id, counted per activity (CROSS JOIN: the new rows' rowid range
      // outside, never the activity's whole history through events_by_message)
      countInserted: db.prepare<[number]>(`
        UPDATE activities SET event_count = event_count + d.n, new_event_count = new_event_count + d.n,
          last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < d.last THEN d.last
            ELSE last_event_at END
        FROM (
          SELECT m.activity_id AS id, COUNT(*) AS n, MAX(e.occurred_at) AS last
          FROM events e CROSS JOIN activity_messages m ON m.collector_message_id = e.collector_message_id
          WHERE e.local_id > ? AND e.verdict IN ('human', 'proxy')
          GROUP BY m.activity_id
        ) d
        WHERE activities.id = d.id`),
      recount: db.prepare<[string]>(RECOUNT_SQL),
      recountMessages: db.prepare<[string]>(RECOUNT_MESSAGES_SQL),
      pageMessages: db.prepare<[string | Uint8Array], { m: string }>(
        `SELECT DISTINCT value ->> 'messageId' AS m FROM json_each(CAST(? AS TEXT), '$.events')`,
      ),
      pageRowsMessages: db.prepare<[string | Uint8Array], { m: string }>(
        `SELECT DISTINCT value ->> 2 AS m FROM json_each(CAST(? AS TEXT), '$.rows')`,
      ),
      rowsMessages: db.prepare<[string], { m: string }>(`SELECT DISTINCT value ->> 2 AS m FROM json_each(?)`),
    });
  // the bulk paths write no JavaScript value per event. The counters grow by the rows the page
  // inserted (local_id above the highest before it, as applyMany counts a new event as new);
  // recounting each touched activity from all its events instead grew with the cache: a first
  // sync of one large mailing recounted every event so far on each page (quadratic, ~1.3 s of
  // 2.9 s for 100,000 events). A page that also replaced stored events is recounted as before.
  const maxLocalIdStmt = db.prepare<[], { m: number }>('SELECT COALESCE(MAX(local_id), 0) AS m FROM events');
  const insertedSinceStmt = db.prepare<[number], { n: number }>(
    'SELECT COUNT(*) AS n FROM events WHERE local_id > ?',
  );
  const bulkUpsert = <P extends string | Uint8Array>(
    stmt: Database.Statement<[P]>,
    text: P,
    messagesOf: () => string[],
  ): number => {
    const before = maxLocalIdStmt.get()?.m ?? 0;
    const changes = stmt.run(text).changes;
    if (changes === 0) return 0;
    const inserted = insertedSinceStmt.get(before)?.n ?? 0;
    if (inserted === changes) counters().countInserted.run(before);
    else counters().recountMessages.run(JSON.stringify(messagesOf()));
    return changes;
  };
  const byActivityStmt = db.prepare<[string], EventRowOut>(`
    SELECT ${COLUMNS('e.')} FROM events e
    JOIN activity_messages m ON m.collector_message_id = e.collector_message_id
    WHERE m.activity_id = ?
    ORDER BY e.occurred_at, e.seq`);
  const byIdStmt = db.prepare<[string], EventRowOut>(`SELECT ${COLUMNS('')} FROM events WHERE id = ?`);
  const countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events');
  const insertRowsJsonStmt = db.prepare<[string]>(INSERT_ROWS_JSON_SQL);
  const insertPageJsonStmt = db.prepare<[string | Uint8Array]>(INSERT_PAGE_JSON_SQL);
  const insertPageRowsStmt = db.prepare<[string | Uint8Array]>(INSERT_PAGE_ROWS_SQL);

  const parse = (r: EventRowOut): StoredEvent => ({ localId: r.local_id, event: fromRow(r) });

  /**
   * Upserts events in the order given (callers pass seq order) and tells what each did:
   * idempotent, a newer version (higher seq) replaces, an older or equal one is `unchanged`.
   */
  function applyMany(events: readonly TrackingEvent[]): ApplyOutcome[] {
    if (events.length === 0) return [];
    // one transaction (a savepoint inside the sync's) for the events and their activities' counters
    return db.transaction(() => {
      const counted = new Counters();
      const outcomes = writeEvents(events, counted);
      counted.store(counters());
      return outcomes;
    })();
  }

  function writeEvents(events: readonly TrackingEvent[], counted: Counters): ApplyOutcome[] {
    const stored = new Map<string, number>();
    const storedMessage = new Map<string, string>();
    for (const r of seqsStmt.all(JSON.stringify(events.map((e) => e.id)))) {
      stored.set(r.id, r.seq);
      storedMessage.set(r.id, r.collector_message_id);
    }
    const out: ApplyOutcome[] = new Array<ApplyOutcome>(events.length);
    let pending: EventRow[] = [];
    const flush = (): void => {
      // new rows in one statement that reads them out of one JSON text (as a first sync's pages
      // go in): a 1,000-event catch-up took ~12 ms in bound chunks of 100 rows, ~8 ms this way
      if (pending.length >= JSON_ROWS_MIN) insertRowsJsonStmt.run(JSON.stringify(pending));
      else for (const row of pending) insertOne.run(row);
      pending = [];
    };
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const had = stored.get(e.id);
      if (had !== undefined && had >= e.seq) {
        out[i] = 'unchanged';
        continue;
      }
      const row = eventRow(e);
      if (had === undefined) {
        counted.inserted(e);
        pending.push(row);
      } else {
        // an id this page inserted a moment ago may come again with a newer seq: its row must
        // exist before the upsert looks for it
        flush();
        upsertStmt.run(row);
        // the verdict, time or message may have changed: the affected activities are recounted
        counted.changed(storedMessage.get(e.id) ?? e.messageId);
        counted.changed(e.messageId);
      }
      stored.set(e.id, e.seq);
      out[i] = had === undefined ? 'inserted' : 'updated';
    }
    flush();
    return out;
  }

  return {
    applyMany,
    /** rows as a JSON array of EventRow (see INSERT_ROWS_JSON_SQL); returns the rows changed */
    insertRowsJson(rowsJson: string): number {
      return bulkUpsert(insertRowsJsonStmt, rowsJson, () =>
        counters()
          .rowsMessages.all(rowsJson)
          .map((r) => r.m),
      );
    },
    /** the events of a checked pull page's text or its UTF-8 bytes (see INSERT_PAGE_JSON_SQL); returns the rows changed */
    insertEventsFromPageJson(pageJson: string | Uint8Array): number {
      return bulkUpsert(insertPageJsonStmt, pageJson, () =>
        counters()
          .pageMessages.all(pageJson)
          .map((r) => r.m),
      );
    },
    /** the rows of a checked pull page of the rows shape (see INSERT_PAGE_ROWS_SQL); returns the rows changed */
    insertRowsFromPageJson(pageJson: string | Uint8Array): number {
      return bulkUpsert(insertPageRowsStmt, pageJson, () =>
        counters()
          .pageRowsMessages.all(pageJson)
          .map((r) => r.m),
      );
    },
    /** idempotent: the same event again changes nothing, a newer version (higher seq) replaces it */
    apply(e: TrackingEvent): ApplyOutcome {
      return applyMany([e])[0]!;
    },
    forActivity(activityId: string): StoredEvent[] {
      return byActivityStmt.all(activityId).map(parse);
    },
    get(id: string): StoredEvent | null {
      const r = byIdStmt.get(id);
      return r ? parse(r) : null;
    },
    count(): number {
      return countStmt.get()?.n ?? 0;
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;

/** the verdicts the activity list counts (as the feed's summary does: the person, or their proxy) */
const COUNTED_VERDICTS: ReadonlySet<string> = new Set(['human', 'proxy']);

interface CounterStatements {
  activityOf: Database.Statement<[string], { activity_id: string }>;
  countNew: Database.Statement<{ added: string; recounted: string }>;
  countInserted: Database.Statement<[number]>;
  recount: Database.Statement<[string]>;
  recountMessages: Database.Statement<[string]>;
  pageMessages: Database.Statement<[string | Uint8Array], { m: string }>;
  pageRowsMessages: Database.Statement<[string | Uint8Array], { m: string }>;
  rowsMessages: Database.Statement<[string], { m: string }>;
}

/** what one call of applyMany changes in the activities' counters, written once per activity */
class Counters {
  private readonly added = new Map<string, { n: number; last: string }>();
  private readonly recount = new Set<string>();

  inserted(e: TrackingEvent): void {
    if (!COUNTED_VERDICTS.has(e.client.verdict)) return;
    const c = this.added.get(e.messageId);
    if (!c) this.added.set(e.messageId, { n: 1, last: e.occurredAt });
    else {
      c.n++;
      if (e.occurredAt > c.last) c.last = e.occurredAt;
    }
  }

  changed(messageId: string): void {
    this.recount.add(messageId);
  }

  store({ activityOf, countNew, recount }: CounterStatements): void {
    if (this.added.size === 0 && this.recount.size === 0) return;
    // a message not linked to an activity yet is counted when it is linked (activities.ts)
    const recountActivities = new Set<string>();
    for (const m of this.recount) {
      const a = activityOf.get(m)?.activity_id;
      if (a) recountActivities.add(a);
    }
    if (this.added.size > 0) {
      const added = [...this.added].map(([m, c]) => ({ m, n: c.n, last: c.last }));
      // the recounted activities are left to the recount
      countNew.run({ added: JSON.stringify(added), recounted: JSON.stringify([...recountActivities]) });
    }
    for (const id of recountActivities) recount.run(id);
  }
}
