import postgres from 'postgres';
import { composeStore } from '../compose';
import type { Store } from '../types';
import { PgAccounts } from './accounts';
import { PgConsent, pgConsentSubjectParts } from './consent';
import { PgContext } from './context';
import { PgEvidenceChain } from './evidence-chain';
import { PgTrackingDomains } from './tracking-domains';
import { PgEvents } from './events';
import { pgHealth } from './health';
import { PgMessages } from './messages';
import { migrate } from './migrate';
import { PgFileStore, PgOffers } from './offers';
import { PgPrivacySql } from './privacy-sql';
import { PrivacyTables } from '../privacy/store';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/db; `?search_path=schema` selects a schema (tests use one each) */
  url: string;
  /** pool size (default 10, or `?max=` in the URL) */
  max?: number;
  senderIpTtlMs?: number;
  /** how long a failed connection attempt may take before the request fails, seconds (default 5) */
  connectTimeoutS?: number;
  /** LISTEN for other instances' commits (default); the evidence chainer thread is told by its collector */
  listen?: boolean;
}

/**
 * The collector's PostgreSQL store: one pool for every aggregate, offers and their files
 * (offer_blobs) included, so every instance behind a load balancer sees the same data.
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const schema = new URL(opts.url).searchParams.get('search_path') ?? 'public';
  const sql = postgres(opts.url, {
    max: opts.max ?? (Number(new URL(opts.url).searchParams.get('max')) || 10),
    connect_timeout: opts.connectTimeoutS ?? 5,
    // Seconds before the next connection attempt after the database went away. postgres.js
    // grows it up to 20 s; the LISTEN connection (which inherits this) then came back up to 20 s
    // after the database did, and other instances' streams stayed asleep that long. At most 2 s:
    // one attempt per connection every 2 s is no load on a database that is starting up.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    onnotice: () => {},
    types: {
      // seqs are BIGINT; numbers stay exact up to 2^53
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
  try {
    await migrate(sql);
  } catch (e) {
    await sql.end({ timeout: 1 });
    throw e;
  }
  const ctx = new PgContext(sql, schema, opts.senderIpTtlMs);
  if (opts.listen !== false) await ctx.listen();
  let closed = false;
  const health = pgHealth(opts.url);
  return composeStore({
    accounts: new PgAccounts(ctx),
    messages: new PgMessages(ctx),
    events: new PgEvents(ctx),
    offers: new PgOffers(sql),
    consent: new PgConsent(sql),
    files: new PgFileStore(sql),
    health,
    evidenceChain: new PgEvidenceChain(sql),
    trackingDomains: new PgTrackingDomains(sql),
    privacy: new PrivacyTables(new PgPrivacySql(ctx), pgConsentSubjectParts(sql)),
    close: async () => {
      if (closed) return;
      closed = true;
      await health.close();
      await ctx.close();
      await sql.end({ timeout: 2 });
    },
  });
}
