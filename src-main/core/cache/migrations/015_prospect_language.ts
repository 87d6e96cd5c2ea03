import type { Migration } from './types';

/**
 * The language of Blitz's own words to a prospect (src-shared/i18n/prospect), chosen per send:
 * - on the activity, because the outbox builds each recipient's copy later, also after a restart
 *   (everything sent before was German);
 * - on the contact, the language last sent to them (null: none chosen on this computer yet), so
 *   the next mail to the same people starts in it.
 */
export const migration015: Migration = {
  version: 15,
  name: 'prospect_language',
  up(db) {
    db.exec(`
      ALTER TABLE activities ADD COLUMN prospect_language TEXT NOT NULL DEFAULT 'de'
        CHECK (prospect_language IN ('de', 'en'));
      ALTER TABLE contacts ADD COLUMN prospect_language TEXT
        CHECK (prospect_language IS NULL OR prospect_language IN ('de', 'en'));
    `);
  },
};
