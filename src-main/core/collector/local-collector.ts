import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createAccount,
  createUser,
  startCollector,
  type RunningCollector,
} from '../../../src-collector/server';
import type { SecretStore } from '../api';
import { makePrivateDir, makePrivateFile } from '../../../src-shared/private-fs';

const LocalState = z.object({ port: z.number().int().min(1).max(65535), accountId: z.string() });
type LocalState = z.infer<typeof LocalState>;
const TOKEN_KEY = 'localCollector.adminToken';

function readState(file: string): LocalState | null {
  try {
    const parsed = LocalState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function listen(dataDir: string, port: number): Promise<RunningCollector> {
  return startCollector({
    db: join(dataDir, 'collector.sqlite'),
    host: '127.0.0.1',
    port,
    logLevel: 'warn',
    // the app and the webmail on this computer share 127.0.0.1: an open from the webmail is the
    // recipient's (the demonstration), while the agent's own views stay self by what tells them
    // apart — the clean Sent copy has no pixel, and „Das war ich“ on an event marks it self
    loopbackIsNotSender: true,
  });
}

/**
 * The local test mode's collector: on 127.0.0.1 only, SQLite in the app's data folder. It keeps
 * its port across restarts when it can, because the pixel and link URLs of already sent mails
 * contain it. The admin token lives in the app's SecretStore.
 */
export function localCollectorStarter(secrets: SecretStore) {
  return async (dataDir: string): Promise<{ url: string; adminToken: string; close(): Promise<void> }> => {
    makePrivateDir(dataDir);
    const stateFile = join(dataDir, 'local-collector.json');
    const previous = readState(stateFile);
    let running: RunningCollector;
    try {
      running = await listen(dataDir, previous?.port ?? 0);
    } catch (e) {
      if (!previous) throw e;
      // the old port is taken now; a new one beats no test mode (old links then fail, by necessity)
      running = await listen(dataDir, 0);
    }
    try {
      let accountId = previous?.accountId;
      let token = await secrets.get(TOKEN_KEY);
      if (!accountId) accountId = (await createAccount(running.store, 'Lokaler Testmodus')).id;
      if (!token) {
        const created = await createUser(running.store, {
          accountId,
          email: 'test@blitz.local',
          name: 'Testmodus',
          role: 'admin',
        });
        token = created.token;
        await secrets.set(TOKEN_KEY, token);
      }
      const port = Number(new URL(running.url).port);
      writeFileSync(stateFile, JSON.stringify({ port, accountId } satisfies LocalState), { mode: 0o600 });
      makePrivateFile(stateFile);
      return { url: running.url, adminToken: token, close: () => running.close() };
    } catch (e) {
      await running.close();
      throw e;
    }
  };
}
