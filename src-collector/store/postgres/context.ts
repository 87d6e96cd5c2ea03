import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { Listeners } from '../listeners';
import { SenderIpMemory } from '../sender-ips';
import type { EventsChange } from '../types';
import { channelFor, commitNotice, parseNotice, senderIpNotice } from './notify';

/** a sender IP is shared with the other instances at most this often */
const SENDER_IP_SHARE_MS = 60_000;

/**
 * What the PostgreSQL aggregate modules share: the pool, the account sequences, and the
 * notifications between instances on one database (commits wake streams and tell hit writers
 * that their context may be stale; sender IPs travel without ever being written to a table).
 */
export class PgContext {
  readonly committed = new Listeners<string>();
  readonly changed = new Listeners<EventsChange>();
  readonly instance = randomUUID().slice(0, 8);
  readonly channel: string;
  readonly senderIps: SenderIpMemory;
  private readonly sharedIps = new Map<string, number>();
  /** accounts this instance has seen commit; woken after the listener reconnects */
  private readonly knownAccounts = new Set<string>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    readonly sql: Sql,
    schema: string,
    senderIpTtlMs?: number,
  ) {
    this.channel = channelFor(schema);
    this.senderIps = new SenderIpMemory(senderIpTtlMs);
  }

  /** LISTEN for other instances' commits; postgres.js re-LISTENs after a lost connection */
  async listen(): Promise<void> {
    let first = true;
    const meta = await this.sql.listen(
      this.channel,
      (payload) => {
        const n = parseNotice(payload);
        if (!n || n.instance === this.instance) return;
        if (n.kind === 'commit') {
          for (const a of n.accounts) this.changed.emit({ kind: 'account', accountId: a });
          for (const a of n.accounts) this.emit(a);
        } else {
          this.senderIps.record(n.userId, n.ip, new Date(n.at));
        }
      },
      () => {
        // after a reconnect, commits may have happened unheard: wake every stream we know of
        if (!first) {
          this.changed.emit({ kind: 'all' });
          for (const a of this.knownAccounts) this.emit(a);
        }
        first = false;
      },
    );
    this.unlisten = meta.unlisten;
  }

  /**
   * Takes `n` numbers of each account's sequence under the account's row lock, which is held
   * until this transaction ends: writers of one account run one after the other, so a number is
   * visible only after every smaller one is. Accounts are locked in a fixed order (no deadlock).
   */
  async allocate(
    tx: TransactionSql,
    counts: ReadonlyMap<string, number>,
  ): Promise<{ accountId: string; first: number }[]> {
    const out: { accountId: string; first: number }[] = [];
    for (const accountId of [...counts.keys()].sort()) {
      const n = counts.get(accountId)!;
      const [row] = await tx<{ last_seq: number }[]>`
        UPDATE account_seq SET last_seq = last_seq + ${n} WHERE account_id = ${accountId} RETURNING last_seq`;
      if (!row) throw new Error(`unknown account ${accountId}`);
      out.push({ accountId, first: row.last_seq - n + 1 });
    }
    return out;
  }

  /** the notifications of a commit in these accounts: a payload holds at most 8000 bytes */
  commitPayloads(accounts: readonly string[]): string[] {
    const payloads: string[] = [];
    for (let i = 0; i < accounts.length; i += 100)
      payloads.push(commitNotice(this.instance, accounts.slice(i, i + 100)));
    return payloads;
  }

  /** delivered by PostgreSQL at commit, and only if the transaction commits */
  async notifyCommit(tx: TransactionSql, accounts: readonly string[]): Promise<void> {
    for (const a of accounts) this.rememberAccount(a);
    await tx`SELECT pg_notify(${this.channel}, p) FROM unnest(${this.commitPayloads(accounts)}::text[]) AS p`;
  }

  /** full IPs are never written to a table: other instances learn them through a notification */
  async shareSenderIp(userId: string, ip: string, at: Date): Promise<void> {
    const key = `${userId}\n${ip}`;
    const last = this.sharedIps.get(key);
    if (last !== undefined && at.getTime() - last < SENDER_IP_SHARE_MS) return;
    if (this.sharedIps.size > 100_000) this.sharedIps.clear();
    this.sharedIps.set(key, at.getTime());
    try {
      await this.sql.notify(this.channel, senderIpNotice(this.instance, userId, ip, at));
    } catch {
      // sharing is best effort; this instance still knows the address
      this.sharedIps.delete(key);
    }
  }

  /** after a commit here: streams of the account wake up */
  emit(accountId: string): void {
    this.rememberAccount(accountId);
    this.committed.emit(accountId);
  }

  async close(): Promise<void> {
    this.committed.clear();
    this.changed.clear();
    try {
      await this.unlisten?.();
    } catch {
      // the connection may already be gone
    }
  }

  private rememberAccount(accountId: string): void {
    if (this.knownAccounts.size >= 10_000) this.knownAccounts.clear();
    this.knownAccounts.add(accountId);
  }
}
