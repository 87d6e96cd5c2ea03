import postgres, { type Sql } from 'postgres';
import { schemaStatus } from '../schema-status';
import type { HealthStore, ReadinessProbe } from '../types';
import { recordedVersions } from './migrate';
import { migrations } from './migrations';

const LABEL = 'collector database (PostgreSQL)';
const PROBE_TIMEOUT_MS = 3000;

export interface PgHealth extends HealthStore {
  close(): Promise<void>;
}

/**
 * /readyz on PostgreSQL, over a connection of the probe's own (not the store's pool: a pool
 * exhausted or hung cannot hang the probe with it), opened on first use, answered within 3 s.
 */
export function pgHealth(url: string): PgHealth {
  let sql: Sql | null = null;
  let closed = false;
  return {
    async probeReadiness(): Promise<ReadinessProbe> {
      if (closed) return { store: 'unreachable', schema: 'unknown', detail: 'store closed' };
      sql ??= postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 60, onnotice: () => {} });
      const s = sql;
      let timer: NodeJS.Timeout | undefined;
      try {
        const checked = s.begin(async (tx) => {
          // a transaction id is assigned only where writes are possible (not on a standby, not
          // with default_transaction_read_only); the transaction rolls back: nothing is written
          const [ro] = await tx<{ ro: string }[]>`SELECT current_setting('transaction_read_only') AS ro`;
          if (ro?.ro === 'on') return { store: 'read_only' as const, schema: 'unknown' as const };
          await tx`SELECT txid_current()`;
          return {
            store: 'ok' as const,
            schema: schemaStatus(LABEL, migrations, await recordedVersions(tx)),
          };
        });
        const timeout = new Promise<never>((_, rej) => {
          timer = setTimeout(
            () => rej(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
            PROBE_TIMEOUT_MS,
          );
        });
        return await Promise.race([checked, timeout]);
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
      closed = true;
      await sql?.end({ timeout: 1 });
      sql = null;
    },
  };
}
