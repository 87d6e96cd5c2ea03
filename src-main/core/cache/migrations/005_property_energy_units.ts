import type { Migration } from './types';

/**
 * Issue 13: the Energieausweis of a property (§ 87 GEG; JSON of EnergyCertificate, NULL = not
 * entered) and each unit's own title and teaser, as OpenImmo carries them.
 */
export const migration005: Migration = {
  version: 5,
  name: 'property_energy_units',
  up(db) {
    db.exec(`
      ALTER TABLE properties ADD COLUMN energy TEXT;
      ALTER TABLE property_units ADD COLUMN title TEXT;
      ALTER TABLE property_units ADD COLUMN teaser TEXT;
    `);
  },
};
