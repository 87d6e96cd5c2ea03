import Database from 'better-sqlite3';
import postgres, { type Sql } from 'postgres';
import { offerMigrations } from '../store/offers/migrations';
import { migrations as pgMigrations } from '../store/postgres/migrations';
import { migrations as sqliteMigrations } from '../store/sqlite/migrations';
import type { Store } from '../store/types';

/** What /readyz reports per check: fixed words, nothing about accounts, hosts or errors. */
export interface StoreProbe {
  store: 'ok' | 'unreachable' | 'read_only' | 'unchecked';
  schema: 'current' | 'behind' | 'ahead' | 'unknown';
}

export interface StoreProber {
  probe(): Promise<StoreProbe & { detail?: string }>;
  close(): Promise<void>;
}

const latest = (ms: readonly { version: number }[]): number => ms.reduce((m, x) => Math.max(m, x.version), 0);
const OFFERS_LATEST = latest(offerMigrations);

function schemaState(main: number | null, mainLatest: number, offers: number | null): StoreProbe['schema'] {
  // offers live in the same database with their own version table (absent: offers not opened)
  if (main === null) return 'behind';
  if (main > mainLatest || (offers !== null && offers > OFFERS_LATEST)) return 'ahead';
  if (main < mainLatest || (offers !== null && offers < OFFERS_LATEST)) return 'behind';
  return 'current';
}

/**
 * The probe has a connection of its own, not the store's: it asks what an operator's tool needs
 * to know (can this database take a write now, is its schema the one this binary expects)
 * without touching the store's contract, and a hung store pool cannot hang the probe with it.
 */
export function sqliteProber(file: string): StoreProber {
  let db: Database.Database | null = null;
  return {
    async probe() {
      try {
        db ??= new Database(file, { fileMustExist: true });
        // never wait for the lock: this runs on the event loop, and a lock held by the writer
        // thread (SQLITE_BUSY below) already shows the database takes writes
        db.pragma('busy_timeout = 0');
        const version = (k: string): number | null => {
          const has = db!.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(k);
          if (!has) return null;
          return (db!.prepare(`SELECT MAX(version) AS v FROM ${k}`).get() as { v: number | null }).v;
        };
        const schema = schemaState(
          version('schema_version'),
          latest(sqliteMigrations),
          version('offer_schema_version'),
        );
        try {
          // takes the write lock and gives it back: fails on a read-only file, a full or broken disk
          db.exec('BEGIN IMMEDIATE');
          db.exec('ROLLBACK');
        } catch (e) {
          const code = (e as { code?: string }).code ?? '';
          // another connection (the writer thread) is writing: the database takes writes
          if (code !== 'SQLITE_BUSY') return { store: 'read_only', schema, detail: String(e) };
        }
        return { store: 'ok', schema };
      } catch (e) {
        db?.close();
        db = null;
        return {
          store: 'unreachable',
          schema: 'unknown',
          detail: e instanceof Error ? e.message : String(e),
        };
      }
    },
    async close() {
      db?.close();
      db = null;
    },
  };
}

const PG_PROBE_TIMEOUT_MS = 3000;

export function postgresProber(url: string): StoreProber {
  let sql: Sql | null = null;
  return {
    async probe() {
      sql ??= postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 60, onnotice: () => {} });
      const s = sql;
      let timer: NodeJS.Timeout | undefined;
      try {
        const checked = s.begin(async (tx) => {
          // a transaction id is assigned only where writes are possible (not on a standby, not
          // with default_transaction_read_only); the transaction rolls back: nothing is written
          const [ro] = await tx<{ ro: string }[]>`SELECT current_setting('transaction_read_only') AS ro`;
          if (ro?.ro === 'on') return { store: 'read_only' as const, versions: [null, null] as const };
          await tx`SELECT txid_current()`;
          const [row] = await tx<{ main: number | null; offers: number | null }[]>`
            SELECT (SELECT MAX(version) FROM schema_version) AS main,
                   CASE WHEN to_regclass('offer_schema_version') IS NULL THEN NULL
                        ELSE (SELECT MAX(version) FROM offer_schema_version) END AS offers`.catch(() => [
            { main: null, offers: null },
          ]);
          return { store: 'ok' as const, versions: [row?.main ?? null, row?.offers ?? null] as const };
        });
        const timeout = new Promise<never>((_, rej) => {
          timer = setTimeout(
            () => rej(new Error(`no answer within ${PG_PROBE_TIMEOUT_MS} ms`)),
            PG_PROBE_TIMEOUT_MS,
          );
        });
        const r = await Promise.race([checked, timeout]);
        if (r.store === 'read_only') return { store: 'read_only', schema: 'unknown' };
        return { store: 'ok', schema: schemaState(r.versions[0], latest(pgMigrations), r.versions[1]) };
      } catch (e) {
        return {
          store: 'unreachable',
          schema: 'unknown',
          detail: e instanceof Error ? e.message : String(e),
        };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await sql?.end({ timeout: 1 });
      sql = null;
    },
  };
}

/** a store handed in without its file or URL: a read through it, nothing more */
export function storeReadProber(store: Store): StoreProber {
  return {
    async probe() {
      try {
        await store.getAccount('00000000-0000-0000-0000-000000000000');
        return { store: 'unchecked', schema: 'unknown' };
      } catch (e) {
        return {
          store: 'unreachable',
          schema: 'unknown',
          detail: e instanceof Error ? e.message : String(e),
        };
      }
    },
    async close() {},
  };
}
