import { randomUUID } from 'node:crypto';
import type { Settings } from '../../../src-shared/api';
import { isoOf, userFromRow, type UserRowBase } from '../rows';
import type { AccountRecord, AccountsStore, NewUser, UserRecord } from '../types';
import type { PgContext } from './context';

/** Accounts, users, settings (PostgreSQL); sender IPs in memory, shared over NOTIFY. */
export class PgAccounts implements AccountsStore {
  constructor(private readonly ctx: PgContext) {}

  async createAccount(input: { name: string }): Promise<AccountRecord> {
    const rec = { id: randomUUID(), name: input.name, createdAt: new Date().toISOString() };
    await this.ctx.sql.begin(async (tx) => {
      await tx`INSERT INTO accounts (id, name, created_at) VALUES (${rec.id}, ${rec.name}, ${rec.createdAt})`;
      await tx`INSERT INTO account_seq (account_id) VALUES (${rec.id})`;
    });
    return rec;
  }

  async getAccount(accountId: string): Promise<AccountRecord | null> {
    const [row] = await this.ctx.sql<{ id: string; name: string; created_at: Date }[]>`
      SELECT id, name, created_at FROM accounts WHERE id = ${accountId}`;
    return row ? { id: row.id, name: row.name, createdAt: row.created_at.toISOString() } : null;
  }

  async listAccountIds(): Promise<string[]> {
    const rows = await this.ctx.sql<{ id: string }[]>`SELECT id FROM accounts ORDER BY id`;
    return rows.map((r) => r.id);
  }

  async createUser(input: NewUser): Promise<UserRecord> {
    const { tokenHash, ...user } = input;
    const rec: UserRecord = { id: randomUUID(), ...user, createdAt: new Date().toISOString() };
    await this.ctx.sql`INSERT INTO users (id, account_id, email, name, role, token_hash, created_at)
      VALUES (${rec.id}, ${rec.accountId}, ${rec.email}, ${rec.name}, ${rec.role}, ${tokenHash}, ${rec.createdAt})`;
    return rec;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const [row] = await this.ctx.sql<UserRowBase<Date>[]>`
      SELECT id, account_id, email, name, role, created_at FROM users WHERE token_hash = ${tokenHash}`;
    return row ? userFromRow(row, isoOf) : null;
  }

  async getSettings(accountId: string): Promise<Settings> {
    const [row] = await this.ctx.sql<
      { tracking_enabled: boolean; shares_network_with_prospects: boolean }[]
    >`SELECT tracking_enabled, shares_network_with_prospects FROM accounts WHERE id = ${accountId}`;
    return {
      trackingEnabled: row ? row.tracking_enabled : false,
      sharesNetworkWithProspects: row ? row.shares_network_with_prospects : false,
    };
  }

  async putSettings(accountId: string, update: Partial<Settings>): Promise<Settings> {
    const sql = this.ctx.sql;
    if (update.trackingEnabled !== undefined) {
      await sql`UPDATE accounts SET tracking_enabled = ${update.trackingEnabled} WHERE id = ${accountId}`;
    }
    if (update.sharesNetworkWithProspects !== undefined) {
      await sql`UPDATE accounts SET shares_network_with_prospects = ${update.sharesNetworkWithProspects}
        WHERE id = ${accountId}`;
    }
    return this.getSettings(accountId);
  }

  async recordSenderIp(userId: string, ip: string, at: Date): Promise<void> {
    this.ctx.senderIps.record(userId, ip, at);
    await this.ctx.shareSenderIp(userId, ip, at);
  }

  async senderIps(userId: string, since: Date): Promise<string[]> {
    return this.ctx.senderIps.list(userId, since);
  }
}
