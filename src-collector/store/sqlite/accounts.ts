import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Settings } from '../../../src-shared/api';
import { SenderIpMemory } from '../sender-ips';
import { sameText, userFromRow, type UserRowBase } from '../rows';
import type { AccountRecord, AccountsStore, NewUser, UserRecord } from '../types';

interface AccountRow {
  id: string;
  name: string;
  created_at: string;
  tracking_enabled: number;
  shares_network_with_prospects: number;
}

/** Accounts, users, settings (SQLite); sender IPs stay in memory, never in the file. */
export class SqliteAccounts implements AccountsStore {
  private readonly senderIpMemory: SenderIpMemory;
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    senderIpTtlMs?: number,
  ) {
    this.senderIpMemory = new SenderIpMemory(senderIpTtlMs);
    this.s = {
      insertAccount: db.prepare('INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)'),
      getAccount: db.prepare<[string], AccountRow>(
        'SELECT id, name, created_at, tracking_enabled, shares_network_with_prospects FROM accounts WHERE id = ?',
      ),
      setTracking: db.prepare('UPDATE accounts SET tracking_enabled = ? WHERE id = ?'),
      setSharesNetwork: db.prepare('UPDATE accounts SET shares_network_with_prospects = ? WHERE id = ?'),
      insertUser: db.prepare(
        'INSERT INTO users (id, account_id, email, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      userByTokenHash: db.prepare<[string], UserRowBase<string>>(
        'SELECT id, account_id, email, name, role, created_at FROM users WHERE token_hash = ?',
      ),
    };
  }

  async createAccount(input: { name: string }): Promise<AccountRecord> {
    const rec = { id: randomUUID(), name: input.name, createdAt: new Date().toISOString() };
    this.s.insertAccount.run(rec.id, rec.name, rec.createdAt);
    return rec;
  }

  async getAccount(accountId: string): Promise<AccountRecord | null> {
    const row = this.s.getAccount.get(accountId);
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
  }

  async listAccountIds(): Promise<string[]> {
    return this.db.prepare('SELECT id FROM accounts ORDER BY id').pluck().all() as string[];
  }

  async createUser(input: NewUser): Promise<UserRecord> {
    const { tokenHash, ...user } = input;
    const rec: UserRecord = { id: randomUUID(), ...user, createdAt: new Date().toISOString() };
    this.s.insertUser.run(rec.id, rec.accountId, rec.email, rec.name, rec.role, tokenHash, rec.createdAt);
    return rec;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const row = this.s.userByTokenHash.get(tokenHash);
    return row ? userFromRow(row, sameText) : null;
  }

  async getSettings(accountId: string): Promise<Settings> {
    const row = this.s.getAccount.get(accountId);
    return {
      trackingEnabled: row ? row.tracking_enabled === 1 : false,
      sharesNetworkWithProspects: row ? row.shares_network_with_prospects === 1 : false,
    };
  }

  async putSettings(accountId: string, update: Partial<Settings>): Promise<Settings> {
    if (update.trackingEnabled !== undefined)
      this.s.setTracking.run(update.trackingEnabled ? 1 : 0, accountId);
    if (update.sharesNetworkWithProspects !== undefined)
      this.s.setSharesNetwork.run(update.sharesNetworkWithProspects ? 1 : 0, accountId);
    return this.getSettings(accountId);
  }

  async recordSenderIp(userId: string, ip: string, at: Date): Promise<void> {
    this.senderIpMemory.record(userId, ip, at);
  }

  async senderIps(userId: string, since: Date): Promise<string[]> {
    return this.senderIpMemory.list(userId, since);
  }
}
