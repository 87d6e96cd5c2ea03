import * as v1 from './001-offers';

export interface OfferMigration {
  version: number;
  sql: string;
}

/**
 * Numbered apart from the collector's own migrations (own version table), so both can grow
 * without colliding. Append; never edit a shipped one.
 */
export const offerMigrations: readonly OfferMigration[] = [v1];
