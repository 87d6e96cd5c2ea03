import type Database from 'better-sqlite3';
import { eventFromRow, type EventRowBase } from '../rows';
import type { MailboxSignalOutcome, NewMailboxSignal } from '../types';
import { mailboxEventColumns } from './rows';

const WIRE_COLUMNS =
  'id, seq, type, message_id, recipient_email, occurred_at, detail, verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os';

/**
 * Issue 19 for the SQLite store, kept apart from its hit path: one signal per transaction,
 * checked for the viewer's message and for an existing event of the same id (idempotent), the
 * seq drawn from the account's sequence like every other event's.
 */
export function createSqliteMailboxSignals(db: Database.Database) {
  const message = db.prepare<[string], { account_id: string; user_id: string }>(
    'SELECT account_id, user_id FROM messages WHERE id = ?',
  );
  const byId = db.prepare<[string], EventRowBase<string>>(`SELECT ${WIRE_COLUMNS} FROM events WHERE id = ?`);
  const nextSeq = db.prepare<[string], { last_seq: number }>(
    'UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
  );
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
    const seq = nextSeq.get(m.account_id);
    if (!seq) throw new Error(`unknown account ${m.account_id}`);
    const c = mailboxEventColumns(input);
    insert.run(
      input.id,
      m.account_id,
      m.user_id,
      input.messageId,
      c.token,
      seq.last_seq,
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
  return (input: NewMailboxSignal): MailboxSignalOutcome => tx.immediate(input);
}

function same(t: string): string {
  return t;
}
