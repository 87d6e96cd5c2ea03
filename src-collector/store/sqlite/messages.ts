import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Recipient } from '../../../src-shared/api';
import type { Listeners } from '../listeners';
import type { ContactKind } from '../../../src-shared/api';
import type { PublishableMessage } from '../offers/types';
import type { MessageRowBase } from '../rows';
import type { MessageRecord, MessagesStore, NewMessage, ResolvedToken } from '../types';
import { seqAllocator } from './seq';

type MessageRow = MessageRowBase<string, number>;
interface TrackerRow {
  token: string;
  recipient_email: string | null;
  recipient_name: string | null;
}

/** Registered messages and their trackers (SQLite). */
export class SqliteMessages implements MessagesStore {
  private readonly s;
  private readonly nextSeq: (accountId: string) => number;

  constructor(
    private readonly db: Database.Database,
    private readonly committed: Listeners<string>,
  ) {
    this.nextSeq = seqAllocator(db);
    this.s = {
      byClientId: db.prepare<[string, string], MessageRow>(
        'SELECT * FROM messages WHERE user_id = ? AND client_id = ?',
      ),
      byId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertTracker: db.prepare(
        'INSERT INTO trackers (token, message_id, position, recipient_email, recipient_name) VALUES (?, ?, ?, ?, ?)',
      ),
      trackersOf: db.prepare<[string], TrackerRow>(
        'SELECT token, recipient_email, recipient_name FROM trackers WHERE message_id = ? ORDER BY position',
      ),
      resolve: db.prepare<[string], TrackerRow & MessageRow & { message_id: string }>(
        `SELECT t.token, t.recipient_email, m.id AS message_id, m.account_id, m.user_id, m.links, m.created_at
         FROM trackers t JOIN messages m ON m.id = t.message_id WHERE t.token = ?`,
      ),
    };
  }

  async registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }> {
    const tx = this.db.transaction((): { created: boolean; row: MessageRow } => {
      const existing = this.s.byClientId.get(input.userId, input.clientId);
      if (existing) return { created: false, row: existing };
      const seq = this.nextSeq(input.accountId);
      const id = randomUUID();
      this.s.insertMessage.run(
        id,
        input.accountId,
        input.userId,
        input.clientId,
        input.subject,
        input.sentIndividually ? 1 : 0,
        JSON.stringify(input.recipients),
        JSON.stringify(input.links),
        input.createdAt,
        seq,
      );
      input.trackers.forEach((t, i) =>
        this.s.insertTracker.run(t.token, id, i, t.recipientEmail, t.recipientName),
      );
      const row = this.s.byClientId.get(input.userId, input.clientId);
      if (!row) throw new Error('message vanished inside its own transaction');
      return { created: true, row };
    });
    const { created, row } = tx.immediate();
    if (created) this.committed.emit(input.accountId);
    const trackers = this.s.trackersOf
      .all(row.id)
      .map((t) => ({ token: t.token, recipientEmail: t.recipient_email }));
    return {
      created,
      message: {
        id: row.id,
        accountId: row.account_id,
        userId: row.user_id,
        clientId: row.client_id,
        subject: row.subject,
        sentIndividually: row.sent_individually === 1,
        recipients: JSON.parse(row.recipients) as Recipient[],
        createdAt: row.created_at,
        seq: row.seq,
        links: JSON.parse(row.links) as string[],
        trackers,
      },
    };
  }

  async getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null> {
    const row = this.s.byId.get(messageId);
    return row ? { sentAt: row.created_at, linkCount: (JSON.parse(row.links) as string[]).length } : null;
  }

  async resolveToken(token: string): Promise<ResolvedToken | null> {
    const row = this.s.resolve.get(token);
    if (!row) return null;
    return {
      token: row.token,
      accountId: row.account_id,
      messageId: row.message_id,
      userId: row.user_id,
      recipientEmail: row.recipient_email,
      links: JSON.parse(row.links) as string[],
      sentAt: row.created_at,
    };
  }

  async messageForPublish(messageId: string): Promise<PublishableMessage | null> {
    const m = this.s.byId.get(messageId);
    if (!m) return null;
    return {
      id: m.id,
      accountId: m.account_id,
      userId: m.user_id,
      sentIndividually: m.sent_individually === 1,
      trackers: this.s.trackersOf.all(messageId).map((t) => ({
        token: t.token,
        recipientEmail: t.recipient_email,
        recipientName: t.recipient_name,
        contactKind: 'consumer' as ContactKind,
      })),
    };
  }
}
