import { err, ok, type Result, type TextError } from '../../src-shared/result';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './types';

export interface OpenStoreOptions {
  /** SQLite file (or ':memory:'); ignored when databaseUrl is set */
  file?: string;
  /** postgres://… selects PostgreSQL */
  databaseUrl?: string;
  synchronous?: 'FULL' | 'NORMAL';
}

/** The one place that picks a store implementation. */
export async function openStore(opts: OpenStoreOptions): Promise<Result<Store, TextError>> {
  if (opts.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
      return err({
        code: 'bad_database_url',
        message: 'DATABASE_URL muss mit postgres:// beginnen (DATABASE_URL must start with postgres://)',
      });
    }
    try {
      return ok(await openPostgresStore({ url: opts.databaseUrl }));
    } catch (e) {
      return err({
        code: 'postgres_not_available',
        message:
          'Die PostgreSQL-Datenbank ist nicht erreichbar oder nicht nutzbar (PostgreSQL database not reachable or not usable)',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  }
  const file = opts.file ?? ':memory:';
  try {
    return ok(openSqliteStore({ file, synchronous: opts.synchronous ?? 'FULL' }));
  } catch (e) {
    return err({
      code: 'store_open_failed',
      message: `Datenbank ${file} kann nicht geöffnet werden (cannot open database)`,
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}
