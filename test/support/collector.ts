import {
  createAccount,
  createUser,
  startCollector,
  type CollectorOptions,
  type RunningCollector,
} from '../../src-collector/server';
import { createScratchSchema } from '../collector-pg/pg-support';

export interface TestCollector {
  url: string;
  publicUrl: string;
  accountId: string;
  adminToken: string;
  adminUserId: string;
  agentToken: string;
  agentUserId: string;
  collector: RunningCollector;
  close(): Promise<void>;
}

/**
 * A real collector on loopback (temp SQLite file, rate limits off, silent logs) with one
 * account, an admin and an agent. Pass options to override, e.g. `{ db }` to reuse a file.
 * With BLITZ_TEST_STORE=postgres it runs on a fresh schema in BLITZ_TEST_DATABASE_URL instead.
 */
export async function startTestCollector(opts: CollectorOptions = {}): Promise<TestCollector> {
  // BLITZ_TEST_STORE=postgres (the contract-pg vitest project): a scratch schema per collector
  const scratch =
    process.env.BLITZ_TEST_STORE === 'postgres' && !opts.db && !opts.databaseUrl && !opts.store
      ? await createScratchSchema()
      : null;
  const collector = await startCollector({
    rateLimit: false,
    logLevel: 'silent',
    ...(scratch ? { databaseUrl: scratch.url } : {}),
    ...opts,
  });
  const account = await createAccount(collector.store, 'Testmakler GmbH');
  const admin = await createUser(collector.store, {
    accountId: account.id,
    email: 'admin@makler.example',
    name: 'Ada Admin',
    role: 'admin',
  });
  const agent = await createUser(collector.store, {
    accountId: account.id,
    email: 'agent@makler.example',
    name: 'Anton Agent',
    role: 'agent',
  });
  return {
    url: collector.url,
    publicUrl: collector.publicUrl,
    accountId: account.id,
    adminToken: admin.token,
    adminUserId: admin.user.id,
    agentToken: agent.token,
    agentUserId: agent.user.id,
    collector,
    close: async () => {
      await collector.close();
      await scratch?.drop();
    },
  };
}
