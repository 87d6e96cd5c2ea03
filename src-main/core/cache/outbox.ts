import type Database from 'better-sqlite3';
import { Tracker } from '../../../src-shared/api';
import type { OutboxErrorDto, OutboxState } from '../../../src-shared/ipc';
import { decodeOutboxError, encodeOutboxError } from './outbox-error';

export type DeliveryState = 'pending' | 'sending' | 'accepted' | 'failed' | 'uncertain';

export interface OutboxRecord {
  activityId: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  error: OutboxErrorDto | null;
  untracked: boolean;
}

export interface Delivery {
  email: string;
  /** recipients with the same unit go out in one SMTP transaction */
  unit: number;
  messageId: string;
  tracker: Tracker | null;
  state: DeliveryState;
  error: OutboxErrorDto | null;
}

/** States the worker picks up by itself; the others wait for the agent or are done. */
export const WORKABLE_STATES: readonly OutboxState[] = [
  'queued',
  'registered',
  'published',
  'waiting_collector',
  'retrying',
  'sent',
];
const WORKABLE_SQL = WORKABLE_STATES.map((s) => `'${s}'`).join(', ');

/**
 * What the sidebar counts as „in der Warteschlange“: only mail still to be sent. A sent mail whose
 * copy is not yet in Sent, a failed or an uncertain one is not waiting to be sent.
 */
export const WAITING_STATES: readonly OutboxState[] = [
  'queued',
  'registered',
  'published',
  'sending',
  'waiting_collector',
  'retrying',
];
const WAITING_SQL = WAITING_STATES.map((s) => `'${s}'`).join(', ');

interface OutboxRow {
  activity_id: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  error: string | null;
  untracked: number;
}
interface DeliveryRow {
  email: string;
  unit: number;
  message_id: string;
  tracker: string | null;
  state: DeliveryState;
  error: string | null;
}

/** The outbox: per activity and per recipient, every step persisted before it is taken. */
export function createOutboxRepo(db: Database.Database) {
  const insertStmt = db.prepare<[string, string]>(
    "INSERT INTO outbox (activity_id, state, updated_at) VALUES (?, 'queued', ?)",
  );
  const getStmt = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE activity_id = ?');
  const updateStmt = db.prepare(`
    UPDATE outbox SET state = @state, error = @error, attempts = @attempts,
      next_attempt_at = @nextAttemptAt, untracked = @untracked, updated_at = @at
    WHERE activity_id = @activityId`);
  const dueStmt = db.prepare<[number], { activity_id: string }>(
    `SELECT activity_id FROM outbox WHERE state IN (${WORKABLE_SQL}) AND next_attempt_at <= ?
     ORDER BY next_attempt_at, updated_at`,
  );
  const nextDueStmt = db.prepare<[], { t: number | null }>(
    `SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state IN (${WORKABLE_SQL})`,
  );
  const pendingStmt = db.prepare<[], { n: number }>(
    `SELECT COUNT(*) AS n FROM outbox WHERE state IN (${WAITING_SQL})`,
  );
  const interruptedStmt = db.prepare<[], { activity_id: string }>(`
    SELECT activity_id FROM outbox WHERE state = 'sending'
    UNION SELECT activity_id FROM deliveries WHERE state = 'sending'`);
  const WAKE_WHERE = "state = 'waiting_collector' AND next_attempt_at > 0";
  const sleepingStmt = db.prepare<[], { n: number }>(
    `SELECT EXISTS (SELECT 1 FROM outbox WHERE ${WAKE_WHERE}) AS n`,
  );
  const wakeStmt = db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE ${WAKE_WHERE}`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM outbox WHERE activity_id = ?');

  const insertDelivery = db.prepare(`
    INSERT INTO deliveries (activity_id, email, unit, message_id, tracker, state)
    VALUES (@activityId, @email, @unit, @messageId, @tracker, 'pending')`);
  const deliveriesStmt = db.prepare<[string], DeliveryRow>(
    'SELECT email, unit, message_id, tracker, state, error FROM deliveries WHERE activity_id = ? ORDER BY unit, email',
  );
  const setUnitState = db.prepare<{
    activityId: string;
    unit: number;
    state: DeliveryState;
    error: string | null;
  }>('UPDATE deliveries SET state = @state, error = @error WHERE activity_id = @activityId AND unit = @unit');
  const setDeliveryState = db.prepare<{
    activityId: string;
    email: string;
    state: DeliveryState;
    error: string | null;
  }>(
    'UPDATE deliveries SET state = @state, error = @error WHERE activity_id = @activityId AND email = @email',
  );
  const replaceState = db.prepare<{ activityId: string; from: DeliveryState; to: DeliveryState }>(
    'UPDATE deliveries SET state = @to WHERE activity_id = @activityId AND state = @from',
  );
  const clearTrackers = db.prepare<[string]>(
    "UPDATE deliveries SET tracker = NULL WHERE activity_id = ? AND state <> 'accepted'",
  );
  const deleteDeliveries = db.prepare<[string]>('DELETE FROM deliveries WHERE activity_id = ?');

  const toRecord = (r: OutboxRow): OutboxRecord => ({
    activityId: r.activity_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    error: decodeOutboxError(r.error),
    untracked: r.untracked === 1,
  });

  return {
    create(activityId: string, at: string): void {
      insertStmt.run(activityId, at);
    },
    get(activityId: string): OutboxRecord | null {
      const r = getStmt.get(activityId);
      return r ? toRecord(r) : null;
    },
    update(
      activityId: string,
      patch: Partial<Pick<OutboxRecord, 'state' | 'error' | 'attempts' | 'nextAttemptAt' | 'untracked'>>,
      at: string,
    ): OutboxRecord | null {
      const cur = getStmt.get(activityId);
      if (!cur) return null;
      const next = { ...toRecord(cur), ...patch };
      updateStmt.run({
        activityId,
        state: next.state,
        error: encodeOutboxError(next.error),
        attempts: next.attempts,
        nextAttemptAt: next.nextAttemptAt,
        untracked: next.untracked ? 1 : 0,
        at,
      });
      return next;
    },
    due(now: number): string[] {
      return dueStmt.all(now).map((r) => r.activity_id);
    },
    nextDueAt(): number | null {
      return nextDueStmt.get()?.t ?? null;
    },
    pendingCount(): number {
      return pendingStmt.get()?.n ?? 0;
    },
    /** activities whose process died while an SMTP transaction may have been in flight */
    interrupted(): string[] {
      return interruptedStmt.all().map((r) => r.activity_id);
    },
    /**
     * makes every activity waiting for the collector due now; returns how many. Read first: an
     * UPDATE takes the write lock even when it matches nothing, and during a first sync this runs
     * after every page while the sync's writing thread holds that lock nearly all the time.
     */
    wakeWaiting(): number {
      if (sleepingStmt.get()?.n !== 1) return 0;
      return wakeStmt.run().changes;
    },
    delete(activityId: string): void {
      deleteStmt.run(activityId);
      deleteDeliveries.run(activityId);
    },

    planDeliveries(activityId: string, rows: readonly Omit<Delivery, 'state' | 'error'>[]): void {
      deleteDeliveries.run(activityId);
      for (const d of rows) {
        insertDelivery.run({
          activityId,
          email: d.email,
          unit: d.unit,
          messageId: d.messageId,
          tracker: d.tracker ? JSON.stringify(d.tracker) : null,
        });
      }
    },
    deliveries(activityId: string): Delivery[] {
      return deliveriesStmt.all(activityId).map((r) => ({
        email: r.email,
        unit: r.unit,
        messageId: r.message_id,
        tracker: r.tracker ? Tracker.parse(JSON.parse(r.tracker)) : null,
        state: r.state,
        error: decodeOutboxError(r.error),
      }));
    },
    setUnitState(
      activityId: string,
      unit: number,
      state: DeliveryState,
      error: OutboxErrorDto | null = null,
    ): void {
      setUnitState.run({ activityId, unit, state, error: encodeOutboxError(error) });
    },
    setDeliveryState(
      activityId: string,
      email: string,
      state: DeliveryState,
      error: OutboxErrorDto | null = null,
    ): void {
      setDeliveryState.run({ activityId, email, state, error: encodeOutboxError(error) });
    },
    replaceDeliveryState(activityId: string, from: DeliveryState, to: DeliveryState): void {
      replaceState.run({ activityId, from, to });
    },
    /** the agent chose to send the rest untracked: copies not yet accepted lose their tracker */
    clearTrackers(activityId: string): void {
      clearTrackers.run(activityId);
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
