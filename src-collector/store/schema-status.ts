import { pendingMigrations, SchemaTooNewError } from '../../src-shared/migrations';
import type { SchemaStatus } from './types';

/**
 * Where a database stands against a dialect's migration sequence, by the runner's own rules
 * (src-shared/migrations.ts): a recorded version newer than the sequence's last is `ahead` (the
 * runner would refuse it with SchemaTooNewError), a missing one `behind`.
 */
export function schemaStatus(
  label: string,
  migrations: readonly { version: number }[],
  applied: readonly number[],
): SchemaStatus {
  try {
    return pendingMigrations(label, migrations, applied).length > 0 ? 'behind' : 'current';
  } catch (e) {
    if (e instanceof SchemaTooNewError) return 'ahead';
    throw e;
  }
}
