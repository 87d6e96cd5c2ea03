import Database from 'better-sqlite3';
import { schemaStatus } from '../schema-status';
import type { HealthStore, ReadinessProbe } from '../types';
import { recordedVersions } from './migrate';
import { migrations } from './migrations';

const LABEL = 'collector database (SQLite)';

export interface SqliteHealth extends HealthStore {
  close(): void;
}

/**
 * /readyz on SQLite. A file gets a connection of the probe's own, opened on first use: it must
 * never wait for the write lock (this runs on the event loop, the store's connection waits up to
 * 5 s), and a lock held by the writer thread already shows the database takes writes. A database
 * in memory has no second connection; it is probed on the store's own, where nothing else writes
 * between two statements of this synchronous code.
 */
export function sqliteHealth(file: string, storeDb: Database.Database): SqliteHealth {
  const inMemory = file === ':memory:';
  let own: Database.Database | null = null;
  let closed = false;
  const connection = (): Database.Database => {
    if (closed) throw new Error('store closed');
    if (inMemory) return storeDb;
    if (!own) {
      own = new Database(file, { fileMustExist: true });
      own.pragma('busy_timeout = 0');
    }
    return own;
  };
  return {
    async probeReadiness(): Promise<ReadinessProbe> {
      try {
        const db = connection();
        const schema = schemaStatus(LABEL, migrations, recordedVersions(db));
        try {
          // takes the write lock and gives it back: fails on a read-only file, a full or broken disk
          db.exec('BEGIN IMMEDIATE');
          db.exec('ROLLBACK');
        } catch (e) {
          // another connection (the writer thread) is writing: the database takes writes
          if ((e as { code?: string }).code !== 'SQLITE_BUSY')
            return { store: 'read_only', schema, detail: String(e) };
        }
        return { store: 'ok', schema };
      } catch (e) {
        own?.close();
        own = null;
        return {
          store: 'unreachable',
          schema: 'unknown',
          detail: e instanceof Error ? e.message : String(e),
        };
      }
    },
    close() {
      closed = true;
      own?.close();
      own = null;
    },
  };
}
