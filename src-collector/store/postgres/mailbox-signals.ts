import type { TransactionSql } from 'postgres';
import { eventFromRow, type EventRowBase } from '../rows';
import { mailboxHit } from '../mailbox-rows';
import type { MailboxSignalOutcome, NewHit, NewMailboxSignal, StoredHitRef } from '../types';
import type { PgContext } from './context';
import { EVENT_COLUMNS } from './events';

class Existing extends Error {
  constructor(readonly row: EventRowBase<Date>) {
    super('exists');
  }
}

/**
 * Issue 19, part of the events aggregate (PgEvents.recordMailboxSignal). The account's sequence
 * row is locked first (as every writer of the account does), so two desktops reporting the same
 * fact at once queue there and the second finds the first's event; the seq is taken only for a
 * new fact, by the same insert statement as every hit (PgEvents.insertStatement).
 */
export async function recordMailboxSignalPg(
  ctx: PgContext,
  input: NewMailboxSignal,
  /** PgEvents' insertStatement for one hit, notifying its account */
  insert: (tx: TransactionSql, hit: NewHit) => Promise<StoredHitRef[]>,
): Promise<MailboxSignalOutcome> {
  const sql = ctx.sql;
  const [m] = await sql<{ account_id: string; user_id: string }[]>`
    SELECT account_id, user_id FROM messages WHERE id = ${input.messageId}`;
  if (
    !m ||
    m.account_id !== input.viewer.accountId ||
    (input.viewer.role !== 'admin' && m.user_id !== input.viewer.id)
  )
    return { outcome: 'not_found' };
  try {
    const row = await sql.begin(async (tx) => {
      // the account's sequence row first, as every writer of the account locks it
      await tx`SELECT account_id FROM account_seq WHERE account_id = ${m.account_id} FOR UPDATE`;
      const [existing] = await tx<EventRowBase<Date>[]>`
        SELECT ${tx(EVENT_COLUMNS)} FROM events WHERE id = ${input.id}`;
      if (existing) throw new Existing(existing);
      // the events aggregate's one insert: seq, row and commit notification as for every hit
      await insert(tx, mailboxHit(input, m.account_id));
      const [inserted] = await tx<EventRowBase<Date>[]>`
        SELECT ${tx(EVENT_COLUMNS)} FROM events WHERE id = ${input.id}`;
      return inserted!;
    });
    ctx.emit(m.account_id);
    return { outcome: 'created', event: eventFromRow(row, iso) };
  } catch (e) {
    if (e instanceof Existing) return { outcome: 'existing', event: eventFromRow(e.row, iso) };
    throw e;
  }
}

function iso(d: Date): string {
  return d.toISOString();
}
