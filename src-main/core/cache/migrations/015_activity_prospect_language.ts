import type { Migration } from './types';

/**
 * The language of Blitz's own words in an activity's copies (the offer mail's greeting, button and
 * figures, the tracking and consent notes under each copy): chosen per send, kept with the
 * activity because the outbox builds each recipient's copy later, also after a restart.
 * Everything sent before was German.
 */
export const migration015: Migration = {
  version: 15,
  name: 'activity_prospect_language',
  up(db) {
    db.exec(`
      ALTER TABLE activities ADD COLUMN prospect_language TEXT NOT NULL DEFAULT 'de'
        CHECK (prospect_language IN ('de', 'en'));
    `);
  },
};
