import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import type { PublishableMessage } from '../offers/types';
import type { RecipientRow } from '../offers/rows';
import {
  isoOf,
  messageRecordFromRow,
  publishableFromRows,
  resolvedFromRow,
  type MessageRowBase,
  type ResolveRow,
} from '../rows';
import type { MessageRecord, MessagesStore, NewMessage, ResolvedToken } from '../types';
import type { PgContext } from './context';

type MessageRow = MessageRowBase<Date, boolean>;

/** rolls back a registration whose clientId exists, carrying the stored row out */
class Existing extends Error {
  constructor(readonly row: MessageRow) {
    super('message exists');
  }
}

/** Registered messages and their trackers (PostgreSQL). */
export class PgMessages implements MessagesStore {
  constructor(private readonly ctx: PgContext) {}

  async registerMessage(input: NewMessage): Promise<{ created: boolean; message: MessageRecord }> {
    const sql = this.ctx.sql;
    const byClient = (tx: TransactionSql | Sql) => tx<MessageRow[]>`
      SELECT * FROM messages WHERE user_id = ${input.userId} AND client_id = ${input.clientId}`;
    const { created, row } = await sql
      .begin(async (tx): Promise<{ created: boolean; row: MessageRow }> => {
        // the seq lock first: two registrations of one clientId (another instance, a retry) queue here
        const [seq] = await this.ctx.allocate(tx, new Map([[input.accountId, 1]]));
        const [existing] = await byClient(tx);
        if (existing) {
          // give the number back by rolling back: no gap in the account's sequence
          throw new Existing(existing);
        }
        const id = randomUUID();
        await tx`INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
        VALUES (${id}, ${input.accountId}, ${input.userId}, ${input.clientId}, ${input.subject}, ${input.sentIndividually},
          ${JSON.stringify(input.recipients)}, ${JSON.stringify(input.links)}, ${input.createdAt}, ${seq!.first})`;
        if (input.trackers.length > 0) {
          await tx`INSERT INTO trackers (token, message_id, position, recipient_email, recipient_name)
          SELECT t.token, ${id}, t.position::int, t.email, t.name
          FROM unnest(${input.trackers.map((t) => t.token)}::text[], ${input.trackers.map((_, i) => String(i))}::text[],
            ${input.trackers.map((t) => t.recipientEmail)}::text[], ${input.trackers.map((t) => t.recipientName)}::text[])
            AS t(token, position, email, name)`;
        }
        await this.ctx.notifyCommit(tx, [input.accountId]);
        const [row] = await byClient(tx);
        if (!row) throw new Error('message vanished inside its own transaction');
        return { created: true, row };
      })
      .catch((e: unknown) => {
        if (e instanceof Existing) return { created: false, row: e.row };
        throw e;
      });
    if (created) this.ctx.emit(input.accountId);
    return { created, message: messageRecordFromRow(row, await this.trackersOf(row.id), isoOf, (b) => b) };
  }

  async getMessageMeta(messageId: string): Promise<{ sentAt: string; linkCount: number } | null> {
    const [row] = await this.ctx.sql<{ created_at: Date; links: string }[]>`
      SELECT created_at, links FROM messages WHERE id = ${messageId}`;
    return row
      ? { sentAt: row.created_at.toISOString(), linkCount: (JSON.parse(row.links) as string[]).length }
      : null;
  }

  async sendersOf(messageIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(messageIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.ctx.sql<{ id: string; user_id: string }[]>`
      SELECT id, user_id FROM messages WHERE id = ANY(${ids})`;
    return new Map(rows.map((r) => [r.id, r.user_id]));
  }

  async resolveToken(token: string): Promise<ResolvedToken | null> {
    const [row] = await this.ctx.sql<ResolveRow<Date>[]>`
      SELECT t.token, t.recipient_email, m.id AS message_id, m.account_id, m.user_id, m.links, m.created_at
      FROM trackers t JOIN messages m ON m.id = t.message_id WHERE t.token = ${token}`;
    return row ? resolvedFromRow(row, isoOf) : null;
  }

  async messageForPublish(messageId: string): Promise<PublishableMessage | null> {
    const [m] = await this.ctx.sql<MessageRow[]>`
      SELECT id, account_id, user_id, sent_individually FROM messages WHERE id = ${messageId}`;
    return m ? publishableFromRows(m, await this.trackersOf(messageId), (b) => b) : null;
  }

  private trackersOf(messageId: string): Promise<RecipientRow[]> {
    return this.ctx.sql<RecipientRow[]>`
      SELECT token, recipient_email, recipient_name FROM trackers WHERE message_id = ${messageId} ORDER BY position`;
  }
}
