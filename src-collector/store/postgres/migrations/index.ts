import type { TransactionSql } from 'postgres';
import type { AsyncMigration } from '../../../../src-shared/migrations';
import * as v1 from './001-initial';
import * as v2 from './002-events-without-fk-triggers';
import * as v3 from './003-office-network-setting';
import * as v4 from './004-offers';
import * as v5 from './005-offer-declarations-locks';
import * as v6 from './006-events-offer-id';
import * as v7 from './007-evidence-chain';
import * as v8 from './008-consent';
import * as v9 from './009-retention-erasure';
import * as v10 from './010-tracking-domains';
import * as v11 from './011-evidence-chain-lean-indexes';
import * as v12 from './012-tracking-domain-checks';

const sequence = {
  initial: v1,
  events_without_fk_triggers: v2,
  office_network_setting: v3,
  offers: v4,
  offer_declarations_locks: v5,
  events_offer_id: v6,
  evidence_chain: v7,
  consent: v8,
  retention_erasure: v9,
  tracking_domains: v10,
  evidence_chain_lean_indexes: v11,
  tracking_domain_checks: v12,
};

/**
 * The collector's PostgreSQL schema, in order; a new version is a new file appended here, never
 * an edit of a shipped one. Each file holds PostgreSQL's own text (SQLite has its own sequence).
 */
export const migrations: readonly AsyncMigration<TransactionSql>[] = Object.entries(sequence).map(
  ([name, m]) => ({ version: m.version, name, up: (tx: TransactionSql) => tx.unsafe(m.sql) }),
);
