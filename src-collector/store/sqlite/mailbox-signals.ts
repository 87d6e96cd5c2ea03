import type Database from 'better-sqlite3';
import { eventFromRow, type EventRowBase } from '../rows';
import { mailboxEventColumns } from '../mailbox-rows';
import type { MailboxSignalOutcome, NewMailboxSignal } from '../types';

const WIRE_COLUMNS =
  'id, seq, type, message_id, offer_id, recipient_email, occurred_at, detail, verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os';

/**
 * Issue 19, part of the events aggregate (SqliteEvents.recordMailboxSignal): one signal per
 * transaction on the calling thread, like an agent's correction. It checks the viewer's message
 * and an existing event of the same id (idempotent), and takes the seq from the account's
 * sequence like every other event. The writer thread's connection waits on the same file lock.
 */
export function sqliteMailboxSignalWriter(
  db: Database.Database,
  nextSeq: (accountId: string) => number,
): (input: NewMailboxSignal) => MailboxSignalOutcome {
  const message = db.prepare<[string], { account_id: string; user_id: string }>(
    'SELECT account_id, user_id FROM messages WHERE id = ?',
  );
  const byId = db.prepare<[string], EventRowBase<string>>(`SELECT ${WIRE_COLUMNS} FROM events WHERE id = ?`);
  const insert = db.prepare(
    `INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
       verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?)`,
  );
  const tx = db.transaction((input: NewMailboxSignal): MailboxSignalOutcome => {
    const m = message.get(input.messageId);
    if (
      !m ||
      m.account_id !== input.viewer.accountId ||
      (input.viewer.role !== 'admin' && m.user_id !== input.viewer.id)
    )
      return { outcome: 'not_found' };
    const existing = byId.get(input.id);
    if (existing) return { outcome: 'existing', event: eventFromRow(existing, same) };
    const seq = nextSeq(m.account_id);
    const c = mailboxEventColumns(input);
    insert.run(
      input.id,
      m.account_id,
      m.user_id,
      input.messageId,
      c.token,
      seq,
      input.type,
      input.recipientEmail,
      input.occurredAt,
      c.detail,
      c.verdict,
      c.reasons,
      c.ipPrefix,
      c.signals,
    );
    const row = byId.get(input.id);
    if (!row) throw new Error('mailbox signal vanished inside its own transaction');
    return { outcome: 'created', event: eventFromRow(row, same) };
  });
  return (input) => tx.immediate(input);
}

function same(t: string): string {
  return t;
}
