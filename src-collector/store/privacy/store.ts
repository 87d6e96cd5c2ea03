import { DEFAULT_RETENTION_DAYS, type LegalHold } from '../../../src-shared/privacy';
import type { SubjectPart } from '../subject/types';
import type { Viewer } from '../types';
import { subjectParts } from './parts';
import type { ErasureLogEntry, PrivacySql, PrivacyStore } from './types';

/** events deleted per transaction (each leaves a tombstone in the same transaction) */
const CHUNK = 2000;

interface HoldRow {
  email: string;
  reason: string;
  set_by: string;
  set_at: string;
}

/**
 * A held address keeps an event that names it, and an event naming nobody of a message sent to
 * it (sent together, the event cannot tell who it was). `_` in an address is LIKE's any-one
 * character: it can only make the hold keep more.
 */
const NOT_HELD = `
  NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.account_id = e.account_id AND h.email = lower(e.recipient_email))
  AND NOT (e.recipient_email IS NULL AND EXISTS (
    SELECT 1 FROM messages m JOIN legal_holds h ON h.account_id = m.account_id
     WHERE m.id = e.message_id AND lower(m.recipients) LIKE '%"' || h.email || '"%'))`;

/** Store.privacy over a dialect's PrivacySql (store/privacy/types.ts). */
export class PrivacyTables implements PrivacyStore {
  readonly subjectParts: readonly SubjectPart[];

  /** `others`: the parts of aggregates that keep their own tables (the consent aggregate's) */
  constructor(
    private readonly q: PrivacySql,
    others: readonly SubjectPart[] = [],
  ) {
    this.subjectParts = [...others, ...subjectParts(q)];
  }

  async retentionDays(accountId: string): Promise<number> {
    const [r] = await this.q.all<{ retention_days: number }>(
      'SELECT retention_days FROM privacy_settings WHERE account_id = ?',
      [accountId],
    );
    return r ? Number(r.retention_days) : DEFAULT_RETENTION_DAYS;
  }

  async setRetentionDays(accountId: string, days: number): Promise<number> {
    await this.q.run(
      `INSERT INTO privacy_settings (account_id, retention_days) VALUES (?, ?)
       ON CONFLICT (account_id) DO UPDATE SET retention_days = excluded.retention_days`,
      [accountId, days],
    );
    return days;
  }

  async holds(accountId: string): Promise<LegalHold[]> {
    const rows = await this.q.all<HoldRow>(
      'SELECT email, reason, set_by, set_at FROM legal_holds WHERE account_id = ? ORDER BY email',
      [accountId],
    );
    return rows.map(toHold);
  }

  async hold(accountId: string, emailLower: string): Promise<LegalHold | null> {
    const [r] = await this.q.all<HoldRow>(
      'SELECT email, reason, set_by, set_at FROM legal_holds WHERE account_id = ? AND email = ?',
      [accountId, emailLower],
    );
    return r ? toHold(r) : null;
  }

  async setHold(
    accountId: string,
    emailLower: string,
    reason: string,
    setBy: string,
    at: Date,
  ): Promise<LegalHold> {
    await this.q.run(
      `INSERT INTO legal_holds (account_id, email, reason, set_by, set_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, email) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at`,
      [accountId, emailLower, reason, setBy, at.toISOString()],
    );
    return { email: emailLower, reason, setBy, setAt: at.toISOString() };
  }

  async liftHold(accountId: string, emailLower: string): Promise<boolean> {
    return (
      (await this.q.run('DELETE FROM legal_holds WHERE account_id = ? AND email = ?', [
        accountId,
        emailLower,
      ])) > 0
    );
  }

  async deleteBehaviourBefore(
    accountId: string,
    types: readonly string[],
    before: Date,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const marks = types.map(() => '?').join(', ');
    for (;;) {
      const n = await this.q.tx(async (q, touched) => {
        const rows = await q.all<{ id: string; type: string }>(
          `SELECT e.id, e.type FROM events e
            WHERE e.account_id = ? AND e.type IN (${marks}) AND e.occurred_at < ? AND ${NOT_HELD}
            LIMIT ${CHUNK}`,
          [accountId, ...types, before.toISOString()],
        );
        if (rows.length === 0) return 0;
        await deleteEventsWithTombstones(
          q,
          accountId,
          rows.map((r) => r.id),
          'retention',
        );
        touched.add(accountId);
        for (const r of rows) counts[r.type] = (counts[r.type] ?? 0) + 1;
        return rows.length;
      });
      if (n < CHUNK) return counts;
    }
  }

  async deleteLikesBefore(accountId: string, before: Date): Promise<number> {
    return this.q.run(
      `DELETE FROM offer_likes WHERE updated_at < ?
         AND offer_id IN (SELECT id FROM offers WHERE account_id = ?)
         AND NOT EXISTS (SELECT 1 FROM offer_recipients r JOIN legal_holds h
                           ON h.account_id = ? AND h.email = lower(r.recipient_email)
                          WHERE r.token = offer_likes.token)`,
      [before.toISOString(), accountId, accountId],
    );
  }

  async subjectsWithLastRecord(accountId: string): Promise<{ email: string; last: Date }[]> {
    const last = new Map<string, number>();
    const see = (email: string | null | undefined, at: string | null): void => {
      if (!email || !at) return;
      const k = email.trim().toLowerCase();
      const t = Date.parse(at);
      if (!Number.isNaN(t) && t > (last.get(k) ?? -Infinity)) last.set(k, t);
    };
    for (const m of await this.q.all<{ recipients: string; created_at: string }>(
      'SELECT recipients, created_at FROM messages WHERE account_id = ?',
      [accountId],
    )) {
      for (const r of JSON.parse(m.recipients) as { email: string }[]) see(r.email, m.created_at);
    }
    const grouped: [string, string][] = [
      [
        'SELECT lower(recipient_email) AS email, max(occurred_at) AS at FROM events WHERE account_id = ? AND recipient_email IS NOT NULL GROUP BY lower(recipient_email)',
        'events',
      ],
      [
        'SELECT lower(recipient_email) AS email, max(coalesce(last_seen_at, confirmed_at)) AS at FROM offer_evidence WHERE account_id = ? AND recipient_email IS NOT NULL GROUP BY lower(recipient_email)',
        'evidence',
      ],
      [
        'SELECT lower(recipient_email) AS email, max(declared_at) AS at FROM offer_declarations WHERE account_id = ? AND recipient_email IS NOT NULL GROUP BY lower(recipient_email)',
        'declarations',
      ],
      [
        'SELECT lower(email) AS email, max(updated_at) AS at FROM landing_contact_locks WHERE account_id = ? GROUP BY lower(email)',
        'contact locks',
      ],
      [
        'SELECT lower(email) AS email, max(updated_at) AS at FROM landing_deal_locks WHERE account_id = ? GROUP BY lower(email)',
        'deal locks',
      ],
    ];
    for (const [query] of grouped) {
      for (const r of await this.q.all<{ email: string; at: string }>(query, [accountId])) see(r.email, r.at);
    }
    return [...last].map(([email, t]) => ({ email, last: new Date(t) }));
  }

  async deletedEvents(
    viewer: Viewer,
    after: number,
    limit: number,
  ): Promise<{ deleted: string[]; erased: string[]; next: number }> {
    type Row = { id: number; event_id: string; cause: string };
    const rows =
      viewer.role === 'admin'
        ? await this.q.all<Row>(
            `SELECT id, event_id, cause FROM sync_tombstones WHERE account_id = ? AND id > ? ORDER BY id LIMIT ${limit}`,
            [viewer.accountId, after],
          )
        : await this.q.all<Row>(
            `SELECT id, event_id, cause FROM sync_tombstones WHERE account_id = ? AND user_id = ? AND id > ? ORDER BY id LIMIT ${limit}`,
            [viewer.accountId, viewer.id, after],
          );
    let next = after;
    if (rows.length > 0) next = Number(rows[rows.length - 1]!.id);
    else if (viewer.role !== 'admin') {
      // an agent's cursor may pass the others' tombstones: none of theirs is below the newest id
      const [m] = await this.q.all<{ m: number | null }>(
        'SELECT max(id) AS m FROM sync_tombstones WHERE account_id = ?',
        [viewer.accountId],
      );
      next = Math.max(after, Number(m?.m ?? 0));
    }
    return {
      deleted: rows.map((r) => r.event_id),
      erased: rows.filter((r) => r.cause === 'erasure').map((r) => r.event_id),
      next,
    };
  }

  onDeleted(listener: (accountId: string) => void): () => void {
    return this.q.deleted.add(listener);
  }

  async logErasure(e: ErasureLogEntry): Promise<void> {
    await this.q.run(
      'INSERT INTO subject_erasures (id, account_id, erased_at, cause, reason, counts) VALUES (?, ?, ?, ?, ?, ?)',
      [e.id, e.accountId, e.erasedAt, e.cause, e.reason, JSON.stringify(e.counts)],
    );
  }

  async erasures(accountId: string): Promise<ErasureLogEntry[]> {
    const rows = await this.q.all<{
      id: string;
      account_id: string;
      erased_at: string;
      cause: 'request' | 'retention';
      reason: string;
      counts: string;
    }>('SELECT * FROM subject_erasures WHERE account_id = ? ORDER BY erased_at', [accountId]);
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      erasedAt: r.erased_at,
      cause: r.cause,
      reason: r.reason,
      counts: JSON.parse(r.counts) as Record<string, number>,
    }));
  }
}

function toHold(r: HoldRow): LegalHold {
  return { email: r.email, reason: r.reason, setBy: r.set_by, setAt: r.set_at };
}

/**
 * Deletes events by id and leaves one tombstone each, in the caller's transaction. PostgreSQL
 * takes the tombstone table's lock first: ids then commit in order, so a desktop's cursor
 * (GET /api/v1/events/deleted) never passes one that commits later.
 */
export async function deleteEventsWithTombstones(
  q: PrivacySql,
  accountId: string,
  ids: readonly string[],
  cause: 'retention' | 'erasure',
): Promise<number> {
  if (ids.length === 0) return 0;
  if (q.dialect === 'postgres') await q.run('LOCK TABLE sync_tombstones IN SHARE ROW EXCLUSIVE MODE');
  const now = new Date().toISOString();
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const marks = part.map(() => '?').join(', ');
    await q.run(
      `INSERT INTO sync_tombstones (account_id, user_id, event_id, deleted_at, cause)
       SELECT account_id, user_id, id, ?, ? FROM events WHERE account_id = ? AND id IN (${marks}) ORDER BY seq`,
      [now, cause, accountId, ...part],
    );
    n += await q.run(`DELETE FROM events WHERE account_id = ? AND id IN (${marks})`, [accountId, ...part]);
  }
  return n;
}
