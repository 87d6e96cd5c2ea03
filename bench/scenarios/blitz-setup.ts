import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { benchUser, startServer, TSX, type Server } from '../lib/proc';
import { benchSchema, countRows } from './pg-cluster';

export type BlitzStore = 'sqlite' | 'postgres';

export interface BlitzUnderTest {
  server: Server;
  token: string;
  /** GET paths of the registered trackers' pixels and their first link */
  pixelPaths: string[];
  clickPaths: string[];
  storedEvents(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A durable Blitz collector process (`collector serve`): SQLite with synchronous=FULL, or
 * PostgreSQL with synchronous_commit on in a fresh schema; one account, one agent, one message
 * with `recipients` individual trackers and one link each. `sqliteFile` reuses a prepared file.
 */
export async function startBlitz(
  store: BlitzStore,
  opts: {
    pgBase?: string;
    recipients?: number;
    sqliteFile?: string;
    pgUrl?: string;
    nodeArgs?: string[];
  } = {},
): Promise<BlitzUnderTest> {
  const recipients = opts.recipients ?? 500;
  let env: NodeJS.ProcessEnv;
  let args: string[];
  let cleanup: () => Promise<void>;
  let count: () => Promise<number>;
  if (store === 'sqlite') {
    const dir = opts.sqliteFile ? null : mkdtempSync(join(tmpdir(), 'blitz-bench-db-'));
    const file = opts.sqliteFile ?? join(dir!, 'bench.db');
    env = { DATABASE_URL: '' };
    args = ['--db', file];
    cleanup = async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    };
    count = async () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
  } else {
    let url = opts.pgUrl;
    let drop = async (): Promise<void> => {};
    if (!url) {
      if (!opts.pgBase) throw new Error('PostgreSQL base URL needed');
      const schema = await benchSchema(opts.pgBase);
      url = schema.url;
      drop = () => schema.drop();
    }
    env = { DATABASE_URL: url };
    args = [];
    cleanup = drop;
    const u = url;
    count = () => countRows(u, 'events');
  }
  const token = benchUser(args, 'admin', env);
  const server = await startServer(
    [...(opts.nodeArgs ?? []), ...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', ...args],
    {
      ...env,
      LOG_LEVEL: 'info',
    },
  );
  try {
    const reg = await fetch(`${server.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: `bench-${Date.now()}`,
        subject: 'Bench',
        sentIndividually: true,
        recipients: Array.from({ length: recipients }, (_, i) => ({ email: `r${i}@bench.example` })),
        links: ['https://bench.example/'],
      }),
    });
    if (reg.status !== 200) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
    const body = (await reg.json()) as { trackers: { pixelUrl: string; links: { trackedUrl: string }[] }[] };
    return {
      server,
      token,
      pixelPaths: body.trackers.map((t) => new URL(t.pixelUrl).pathname),
      clickPaths: body.trackers.map((t) => new URL(t.links[0]!.trackedUrl).pathname),
      storedEvents: count,
      stop: async () => {
        await server.stop();
        await cleanup();
      },
    };
  } catch (e) {
    await server.stop();
    await cleanup();
    throw e;
  }
}
