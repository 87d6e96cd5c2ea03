import type Database from 'better-sqlite3';
import { migration001 } from './001_initial';
import { migration002 } from './002_properties_offers';
import { migration003 } from './003_compact_event_body';
import { migration004 } from './004_offer_evidence';
import { migration005 } from './005_property_energy_units';
import { migration006 } from './006_outbox_not_filed';
import { migration007 } from './007_legal_contacts_locks';
import { migration008 } from './008_drafts';
import { migration009 } from './009_activity_list_speed';
import { migration010 } from './010_mailbox_signals';
import { migration011 } from './011_contact_consent';
import { migration012 } from './012_erasure';
import { migration013 } from './013_events_without_recipient_index';
import { migration014 } from './014_event_body_jsonb';
import { migration015 } from './015_prospect_language';
import type { Migration } from './types';
import { migrateSync, type SyncMigrationDialect } from '../../../../src-shared/migrations';

/** Every schema version in order; a new version is a new file appended here. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The cache records its version in SQLite's `user_version`: versions 1…n are applied. */
function cacheDialect(db: Database.Database): SyncMigrationDialect<Database.Database> {
  return {
    label: 'desktop cache',
    db,
    appliedVersions: () => Array.from({ length: schemaVersion(db) }, (_, i) => i + 1),
    transaction: (fn) => db.transaction(fn)(),
    record: (m) => db.pragma(`user_version = ${m.version}`),
  };
}

/**
 * Brings the database to `target` (default: the newest) one version at a time, each in its own
 * transaction with the `user_version` bump, so a crash leaves a consistent older version.
 */
export function migrate(db: Database.Database, target = MIGRATIONS.length): number {
  migrateSync(cacheDialect(db), MIGRATIONS, target);
  return schemaVersion(db);
}
