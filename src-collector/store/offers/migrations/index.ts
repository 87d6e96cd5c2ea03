import * as v1 from './001-offers';
import * as v2 from './002-declarations-locks';

export interface OfferMigration {
  version: number;
  sql: string;
  /** PostgreSQL's own text where the SQLite one does not translate (else derived from sql) */
  postgres?: string;
}

/**
 * Numbered apart from the collector's own migrations (own version table), so both can grow
 * without colliding. Append; never edit a shipped one.
 */
export const offerMigrations: readonly OfferMigration[] = [v1, v2];
