import { eventFromRow, type EventRowBase } from '../rows';
import { mailboxEventColumns } from '../mailbox-rows';
import type { MailboxSignalOutcome, NewMailboxSignal } from '../types';
import type { PgContext } from './context';

const WIRE_COLUMNS = [
  'id',
  'seq',
  'type',
  'message_id',
  'offer_id',
  'recipient_email',
  'occurred_at',
  'detail',
  'verdict',
  'reasons',
  'corrected_from',
  'ip_owner',
  'ip_prefix',
  'ua_family',
  'os',
];

class Existing extends Error {
  constructor(readonly row: EventRowBase<Date>) {
    super('exists');
  }
}

/**
 * Issue 19, part of the events aggregate (PgEvents.recordMailboxSignal). The account's sequence
 * row is locked first (as every writer of the account does), so two desktops reporting the same
 * fact at once queue there and the second finds the first's event; a report of a known fact
 * rolls back, giving its number back, so the sequence keeps no gap.
 */
export async function recordMailboxSignalPg(
  ctx: PgContext,
  input: NewMailboxSignal,
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
      const [seq] = await ctx.allocate(tx, new Map([[m.account_id, 1]]));
      const [existing] = await tx<EventRowBase<Date>[]>`
        SELECT ${tx(WIRE_COLUMNS)} FROM events WHERE id = ${input.id}`;
      if (existing) throw new Existing(existing);
      const c = mailboxEventColumns(input);
      const [inserted] = await tx<EventRowBase<Date>[]>`
        INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at,
          detail, verdict, reasons, ip_owner, ip_prefix, ua_family, os, signals)
        VALUES (${input.id}, ${m.account_id}, ${m.user_id}, ${input.messageId}, ${c.token}, ${seq!.first}, ${input.type},
          ${input.recipientEmail}, ${input.occurredAt}::timestamptz, ${c.detail}, ${c.verdict}, ${c.reasons},
          NULL, ${c.ipPrefix}, NULL, NULL, ${c.signals})
        RETURNING ${tx(WIRE_COLUMNS)}`;
      await ctx.notifyCommit(tx, [m.account_id]);
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
