import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { OfferLink, OfferUnit } from '../../../src-shared/api';
import { EnergyCertificate } from '../../../src-shared/energy';
import type {
  PropertyDto,
  PropertyFileDto,
  PropertyFileRole,
  PropertyFileType,
  PropertyInput,
} from '../../../src-shared/ipc';

/** PropertyInput after zod: defaults filled in */
export type PropertyData = z.output<typeof import('../../../src-shared/ipc').PropertyInput>;
type Unit = z.output<typeof OfferUnit>;

interface PropertyRow {
  id: string;
  kind: 'single' | 'project';
  external_id: string | null;
  title: string;
  street: string;
  house_number: string;
  postal_code: string;
  city: string;
  price: number | null;
  area: number | null;
  rooms: number | null;
  description: string;
  links: string;
  commission_notice: string | null;
  energy: string | null;
  created_at: string;
  updated_at: string;
}
interface UnitRow {
  id: string;
  number: string;
  floor: string | null;
  area: number | null;
  rooms: number | null;
  price: number | null;
  status: Unit['status'];
  title: string | null;
  teaser: string | null;
}
interface FileRow {
  id: string;
  role: PropertyFileRole;
  name: string;
  content_type: PropertyFileType;
  size: number;
  sha256: string;
}

export interface NewPropertyFile {
  role: PropertyFileRole;
  name: string;
  contentType: PropertyFileType;
  size: number;
  sha256: string;
}

const linksOf = (json: string) => OfferLink.array().parse(JSON.parse(json));
/** a stored certificate that no longer parses is shown as not entered rather than breaking the list */
const energyOf = (json: string | null): EnergyCertificate | null => {
  if (json === null) return null;
  const r = EnergyCertificate.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
};

/** „Lindenthaler Straße 12, 04155 Leipzig“ */
export function formatAddress(
  p: Pick<PropertyDto, 'street' | 'houseNumber' | 'postalCode' | 'city'>,
): string {
  const line1 = [p.street, p.houseNumber].filter((s) => s.trim() !== '').join(' ');
  const line2 = [p.postalCode, p.city].filter((s) => s.trim() !== '').join(' ');
  return [line1, line2].filter((s) => s !== '').join(', ');
}

/** Properties (Objekte) with their units and file records in the cache database. */
export function createPropertiesRepo(db: Database.Database) {
  const listStmt = db.prepare<[], PropertyRow>('SELECT * FROM properties ORDER BY updated_at DESC, title');
  const getStmt = db.prepare<[string], PropertyRow>('SELECT * FROM properties WHERE id = ?');
  const byExternal = db.prepare<[string], { id: string }>('SELECT id FROM properties WHERE external_id = ?');
  const unitsStmt = db.prepare<[string], UnitRow>(
    'SELECT id, number, floor, area, rooms, price, status, title, teaser FROM property_units WHERE property_id = ? ORDER BY position',
  );
  const filesStmt = db.prepare<[string], FileRow>(
    'SELECT id, role, name, content_type, size, sha256 FROM property_files WHERE property_id = ? ORDER BY position, created_at',
  );
  const upsert = db.prepare(`
    INSERT INTO properties (id, kind, external_id, title, street, house_number, postal_code, city, price, area,
      rooms, description, links, commission_notice, energy, created_at, updated_at)
    VALUES (@id, @kind, @externalId, @title, @street, @houseNumber, @postalCode, @city, @price, @area,
      @rooms, @description, @links, @commissionNotice, @energy, @at, @at)
    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, external_id = excluded.external_id,
      title = excluded.title, street = excluded.street, house_number = excluded.house_number,
      postal_code = excluded.postal_code, city = excluded.city, price = excluded.price, area = excluded.area,
      rooms = excluded.rooms, description = excluded.description, links = excluded.links,
      commission_notice = excluded.commission_notice, energy = excluded.energy, updated_at = excluded.updated_at`);
  const deleteUnits = db.prepare<[string]>('DELETE FROM property_units WHERE property_id = ?');
  const insertUnit = db.prepare(`
    INSERT INTO property_units (property_id, id, position, number, floor, area, rooms, price, status, title, teaser)
    VALUES (@propertyId, @id, @position, @number, @floor, @area, @rooms, @price, @status, @title, @teaser)`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM properties WHERE id = ?');
  const maxFilePos = db.prepare<[string], { p: number | null }>(
    'SELECT MAX(position) AS p FROM property_files WHERE property_id = ?',
  );
  const insertFile = db.prepare(`
    INSERT INTO property_files (id, property_id, position, role, name, content_type, size, sha256, created_at)
    VALUES (@id, @propertyId, @position, @role, @name, @contentType, @size, @sha256, @at)`);
  const fileStmt = db.prepare<[string, string], FileRow>(
    'SELECT id, role, name, content_type, size, sha256 FROM property_files WHERE property_id = ? AND id = ?',
  );
  const deleteFile = db.prepare<[string, string]>(
    'DELETE FROM property_files WHERE property_id = ? AND id = ?',
  );
  const exposeIds = db.prepare<[string], { id: string }>(
    "SELECT id FROM property_files WHERE property_id = ? AND role = 'expose'",
  );
  const shaUses = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM property_files WHERE property_id = ? AND sha256 = ?',
  );
  const touch = db.prepare<[string, string]>('UPDATE properties SET updated_at = ? WHERE id = ?');

  const fileDto = (f: FileRow): PropertyFileDto => ({
    id: f.id,
    role: f.role,
    name: f.name,
    contentType: f.content_type,
    size: f.size,
    sha256: f.sha256,
  });
  const unitDto = (u: UnitRow): Unit => ({
    id: u.id,
    number: u.number,
    status: u.status,
    ...(u.floor !== null ? { floor: u.floor } : {}),
    ...(u.area !== null ? { area: u.area } : {}),
    ...(u.rooms !== null ? { rooms: u.rooms } : {}),
    ...(u.price !== null ? { price: u.price } : {}),
    ...(u.title ? { title: u.title } : {}),
    ...(u.teaser ? { teaser: u.teaser } : {}),
  });
  const toDto = (r: PropertyRow): PropertyDto => ({
    id: r.id,
    kind: r.kind,
    externalId: r.external_id,
    title: r.title,
    street: r.street,
    houseNumber: r.house_number,
    postalCode: r.postal_code,
    city: r.city,
    price: r.price,
    area: r.area,
    rooms: r.rooms,
    description: r.description,
    links: linksOf(r.links),
    units: unitsStmt.all(r.id).map(unitDto),
    commissionNotice: r.commission_notice,
    energy: energyOf(r.energy),
    files: filesStmt.all(r.id).map(fileDto),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

  return {
    list(): PropertyDto[] {
      return listStmt.all().map(toDto);
    },
    get(id: string): PropertyDto | null {
      const r = getStmt.get(id);
      return r ? toDto(r) : null;
    },
    idForExternal(externalId: string): string | null {
      return byExternal.get(externalId)?.id ?? null;
    },
    /** inserts or replaces the property's fields and units; files are kept */
    save(input: PropertyData, at: string): string {
      const id = input.id ?? randomUUID();
      upsert.run({
        id,
        kind: input.kind,
        externalId: input.externalId,
        title: input.title,
        street: input.street,
        houseNumber: input.houseNumber,
        postalCode: input.postalCode,
        city: input.city,
        price: input.price,
        area: input.area,
        rooms: input.rooms,
        description: input.description,
        links: JSON.stringify(input.links),
        commissionNotice: input.commissionNotice,
        energy: input.energy === null ? null : JSON.stringify(input.energy),
        at,
      });
      deleteUnits.run(id);
      input.units.forEach((u, position) =>
        insertUnit.run({
          propertyId: id,
          id: u.id,
          position,
          number: u.number,
          floor: u.floor ?? null,
          area: u.area ?? null,
          rooms: u.rooms ?? null,
          price: u.price ?? null,
          status: u.status,
          title: u.title ?? null,
          teaser: u.teaser ?? null,
        }),
      );
      return id;
    },
    exists(id: string): boolean {
      return getStmt.get(id) !== undefined;
    },
    delete(id: string): void {
      deleteStmt.run(id);
    },
    file(propertyId: string, fileId: string): PropertyFileDto | null {
      const f = fileStmt.get(propertyId, fileId);
      return f ? fileDto(f) : null;
    },
    /** an exposé replaces the previous one (a property has at most one); returns replaced files */
    addFile(propertyId: string, f: NewPropertyFile, at: string): PropertyFileDto[] {
      const replaced: PropertyFileDto[] = [];
      if (f.role === 'expose') {
        for (const { id } of exposeIds.all(propertyId)) {
          const old = fileStmt.get(propertyId, id);
          if (old) replaced.push(fileDto(old));
          deleteFile.run(propertyId, id);
        }
      }
      insertFile.run({
        id: randomUUID(),
        propertyId,
        position: (maxFilePos.get(propertyId)?.p ?? -1) + 1,
        ...f,
        at,
      });
      touch.run(at, propertyId);
      return replaced;
    },
    removeFile(propertyId: string, fileId: string, at: string): PropertyFileDto | null {
      const f = fileStmt.get(propertyId, fileId);
      if (!f) return null;
      deleteFile.run(propertyId, fileId);
      touch.run(at, propertyId);
      return fileDto(f);
    },
    /** whether another file record of the property still points at these bytes */
    shaInUse(propertyId: string, sha: string): boolean {
      return (shaUses.get(propertyId, sha)?.n ?? 0) > 0;
    },
  };
}
export type PropertiesRepo = ReturnType<typeof createPropertiesRepo>;
export type { PropertyInput };
