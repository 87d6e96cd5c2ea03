import { createAccount, createUser, startCollector, type CollectorOptions, type RunningCollector } from '../../src-collector/server';

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
 */
export async function startTestCollector(opts: CollectorOptions = {}): Promise<TestCollector> {
  const collector = await startCollector({ rateLimit: false, logLevel: 'silent', ...opts });
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
    close: () => collector.close(),
  };
}
