import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { openStore } from '../../src-collector/store/open';
import type { NewHit, Store, Viewer } from '../../src-collector/store/types';

/**
 * Scratch PostgreSQL schemas for tests. The database comes from BLITZ_TEST_DATABASE_URL
 * (`eval "$(scripts/ci-postgres.sh start)"` sets it). Without it, PG tests skip locally with a
 * clear reason, and fail in CI (CI=true), where a missing database is a broken setup.
 */
export const PG_URL = process.env.BLITZ_TEST_DATABASE_URL ?? '';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export const PG_SKIP_REASON =
  'no BLITZ_TEST_DATABASE_URL: start one with eval "$(scripts/ci-postgres.sh start)"';

/** true when PG tests should be skipped; throws in CI when the database is missing */
export function skipWithoutPg(): boolean {
  if (PG_URL) return false;
  if (IN_CI) throw new Error(`PostgreSQL tests cannot run in CI: ${PG_SKIP_REASON}`);
  console.warn(`SKIPPED PostgreSQL tests: ${PG_SKIP_REASON}`);
  return true;
}

export interface ScratchSchema {
  name: string;
  /** the database URL with this schema as search_path */
  url: string;
  drop(): Promise<void>;
}

/** a fresh, empty schema in the test database; drop() removes it with everything in it */
export async function createScratchSchema(base = PG_URL): Promise<ScratchSchema> {
  if (!base) throw new Error(`PostgreSQL needed: ${PG_SKIP_REASON}`);
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE SCHEMA ${name}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const u = new URL(base);
  u.searchParams.set('search_path', name);
  let dropped = false;
  return {
    name,
    url: u.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await sql.end({ timeout: 2 });
      }
    },
  };
}

/** an account with one admin and one registered message with one tracker, ready for hits */
export async function seedMessage(store: Store, name: string, createdAt = new Date().toISOString()) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const account = await store.createAccount({ name });
  const user = await store.createUser({
    accountId: account.id,
    email: `a@${slug}.example`,
    name: 'A',
    role: 'admin',
    tokenHash: randomUUID(),
  });
  const { message } = await store.registerMessage({
    accountId: account.id,
    userId: user.id,
    clientId: 'c1',
    subject: 'S',
    sentIndividually: true,
    recipients: [{ email: 'r@kunde.example' }],
    links: [],
    trackers: [
      { token: randomUUID().replace(/-/g, ''), recipientEmail: 'r@kunde.example', recipientName: null },
    ],
    createdAt,
  });
  const viewer: Viewer = { id: user.id, accountId: account.id, role: 'admin' };
  return { account, user, message, viewer, token: message.trackers[0]!.token };
}

/** a classified open of `messageId`, as the hit writer hands it to a store */
export function newHit(accountId: string, messageId: string, token: string, userAgent = 'x'): NewHit {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    accountId,
    messageId,
    offerId: null,
    token,
    type: 'email.opened',
    recipientEmail: 'r@kunde.example',
    occurredAt: at,
    detail: {},
    classification: { verdict: 'human', reasons: [], ipOwner: null },
    uaFamily: null,
    os: null,
    signals: {
      kind: 'open',
      method: 'GET',
      at,
      ipPrefix: '203.0.113.0/24',
      userAgent,
      headers: {},
      senderPrefixes: [],
    },
  };
}

/** a PostgreSQL store on `url`; its close goes into `cleanup` */
export async function openPgStore(url: string, cleanup: (() => Promise<void>)[]): Promise<Store> {
  const r = await openStore({ databaseUrl: url });
  if (!r.ok) throw new Error(`${r.error.message}: ${r.error.detail}`);
  cleanup.push(() => r.value.close());
  return r.value;
}
