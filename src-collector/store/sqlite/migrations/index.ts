import type Database from 'better-sqlite3';
import type { Migration } from '../../../../src-shared/migrations';
import * as v1 from './001-initial';
import * as v2 from './002-message-time-index';
import * as v3 from './003-drop-message-seq-index';
import * as v4 from './004-office-network-setting';
import * as v5 from './005-offers';
import * as v6 from './006-offer-declarations-locks';
import * as v7 from './007-events-offer-id';
import * as v8 from './008-evidence-chain';
import * as v9 from './009-consent';
import * as v10 from './010-retention-erasure';
import * as v11 from './011-tracking-domains';
import * as v12 from './012-evidence-chain-lean-indexes';
import * as v13 from './013-tracking-domain-checks';

const sequence = {
  initial: v1,
  message_time_index: v2,
  drop_message_seq_index: v3,
  office_network_setting: v4,
  offers: v5,
  offer_declarations_locks: v6,
  events_offer_id: v7,
  evidence_chain: v8,
  consent: v9,
  retention_erasure: v10,
  tracking_domains: v11,
  evidence_chain_lean_indexes: v12,
  tracking_domain_checks: v13,
};

/**
 * The collector's SQLite schema, in order; a new version is a new file appended here, never an
 * edit of a shipped one. Each file holds SQLite's own text (PostgreSQL has its own sequence).
 */
export const migrations: readonly Migration<Database.Database>[] = Object.entries(sequence).map(
  ([name, m]) => ({ version: m.version, name, up: (db: Database.Database) => db.exec(m.sql) }),
);
