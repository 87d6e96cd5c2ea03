import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';
import { createPropertiesRepo } from '../../../../src-main/core/properties/store';

describe('migration 005_property_energy_units', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('keeps a property saved before it and adds the Energieausweis and unit titles', () => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, 4)).toBe(4);
    db.prepare(
      `INSERT INTO properties (id, kind, external_id, title, street, house_number, postal_code, city, price, area, rooms,
        description, links, commission_notice, created_at, updated_at)
       VALUES ('p1', 'project', NULL, 'Alt', '', '', '', '', NULL, NULL, NULL, '', '[]', NULL, 't', 't')`,
    ).run();
    db.prepare(
      `INSERT INTO property_units (property_id, id, position, number, floor, area, rooms, price, status)
       VALUES ('p1', 'we1', 0, 'WE 1', NULL, 58.4, 2, 289000, 'available')`,
    ).run();
    expect(migrate(db, 5)).toBe(5);
    expect(schemaVersion(db)).toBe(5);
    migrate(db);
    const repo = createPropertiesRepo(db);
    const old = repo.get('p1');
    expect(old?.energy).toBeNull();
    expect(old?.units[0]).toEqual({
      id: 'we1',
      number: 'WE 1',
      area: 58.4,
      rooms: 2,
      price: 289000,
      status: 'available',
    });
    repo.save(
      {
        id: 'p1',
        kind: 'project',
        externalId: null,
        title: 'Neu',
        street: '',
        houseNumber: '',
        postalCode: '',
        city: '',
        price: null,
        area: null,
        rooms: null,
        description: '',
        links: [],
        commissionNotice: null,
        energy: { status: 'available', certificateType: 'consumption', value: 92.5, efficiencyClass: 'C' },
        units: [
          { id: 'we1', number: 'WE 1', status: 'sold', title: 'Gartenwohnung', teaser: 'mit Terrasse' },
        ],
      },
      't2',
    );
    const now = repo.get('p1');
    expect(now?.energy).toEqual({
      status: 'available',
      certificateType: 'consumption',
      value: 92.5,
      efficiencyClass: 'C',
    });
    expect(now?.units[0]).toMatchObject({ title: 'Gartenwohnung', teaser: 'mit Terrasse', status: 'sold' });
  });
});
