import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Listeners } from '../listeners';
import type { PublishableMessage } from '../offers/types';
import type { RecipientRow } from '../offers/rows';
import {
  messageRecordFromRow,
  publishableFromRows,
  resolvedFromRow,
  sameText,
  type MessageRowBase,
  type ResolveRow,
} from '../rows';
import type { MessageRecord, MessagesStore, NewMessage, ResolvedToken } from '../types';
import { seqAllocator } from './seq';

type MessageRow = MessageRowBase<string, number>;

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
      trackersOf: db.prepare<[string], RecipientRow>(
        'SELECT token, recipient_email, recipient_name FROM trackers WHERE message_id = ? ORDER BY position',
      ),
      resolve: db.prepare<[string], ResolveRow<string>>(
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
    return {
      created,
      message: messageRecordFromRow(row, this.s.trackersOf.all(row.id), sameText, (b) => b === 1),
    };
  }

  async getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null> {
    const row = this.s.byId.get(messageId);
    return row ? { sentAt: row.created_at, linkCount: (JSON.parse(row.links) as string[]).length } : null;
  }

  async sendersOf(messageIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const get = this.db.prepare<[string], { user_id: string }>('SELECT user_id FROM messages WHERE id = ?');
    for (const id of new Set(messageIds)) {
      const r = get.get(id);
      if (r) out.set(id, r.user_id);
    }
    return out;
  }

  async resolveToken(token: string): Promise<ResolvedToken | null> {
    const row = this.s.resolve.get(token);
    return row ? resolvedFromRow(row, sameText) : null;
  }

  async messageForPublish(messageId: string): Promise<PublishableMessage | null> {
    const m = this.s.byId.get(messageId);
    return m ? publishableFromRows(m, this.s.trackersOf.all(messageId), (b) => b === 1) : null;
  }
}
