import { openPostgresEvidenceStore } from './postgres';
import { openSqliteEvidenceStore } from './sqlite';
import type { EvidenceChainStore } from './types';

/** Beside the collector's store: the same SQLite file or PostgreSQL database. */
export async function openEvidenceStore(opts: {
  sqliteFile?: string;
  databaseUrl?: string;
  synchronous?: 'FULL' | 'NORMAL';
}): Promise<EvidenceChainStore> {
  if (opts.databaseUrl) return openPostgresEvidenceStore(opts.databaseUrl);
  if (!opts.sqliteFile || opts.sqliteFile === ':memory:')
    throw new Error('the evidence chain needs an SQLite file or PostgreSQL');
  return openSqliteEvidenceStore({ file: opts.sqliteFile, synchronous: opts.synchronous });
}
