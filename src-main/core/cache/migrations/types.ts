import type Database from 'better-sqlite3';
import type { Migration as SchemaMigration } from '../../../../src-shared/migrations';

/** One schema version. `up` runs inside a transaction together with the version bump. */
export type Migration = SchemaMigration<Database.Database>;
