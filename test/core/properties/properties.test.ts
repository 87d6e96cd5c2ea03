import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropertyDto } from '../../../src-shared/ipc';
import { housePhoto, pdf } from '../../fixtures/offers/generate';
import { removeDir, startTestCore, type TestCore } from '../helpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

async function ok<T>(p: Promise<{ ok: boolean; value?: T; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

describe('properties (Objekte) in the core', () => {
  let prop: PropertyDto;

  it('saves, lists and updates a project with units and links', async () => {
    prop = await ok(
      t.core.dispatch('properties.save', {
        kind: 'project',
        title: 'Stadthaus am Park',
        street: 'Parkallee',
        houseNumber: '5',
        postalCode: '04109',
        city: 'Leipzig',
        price: 410000,
        area: 88.4,
        rooms: 3,
        description: 'Neubau mit sechs Wohnungen.',
        links: [{ label: 'Virtueller Rundgang', url: 'https://tour.example/parkallee' }],
        units: [
          { id: 'we1', number: 'WE 1', floor: 'EG', area: 60, rooms: 2, price: 300000 },
          {
            id: 'we2',
            number: 'WE 2',
            floor: '1. OG',
            area: 88.4,
            rooms: 3,
            price: 410000,
            status: 'reserved',
          },
        ],
      }),
    );
    expect(prop.units.map((u) => [u.number, u.status])).toEqual([
      ['WE 1', 'available'],
      ['WE 2', 'reserved'],
    ]);
    expect(prop.links[0]?.url).toBe('https://tour.example/parkallee');
    // the DTO's read-only parts (files, timestamps) are not input: strict schemas refuse them
    const { files: _files, createdAt: _c, updatedAt: _u, ...input } = prop;
    const updated = await ok(
      t.core.dispatch('properties.save', {
        ...input,
        title: 'Stadthaus am Park (Bauabschnitt 1)',
        units: [prop.units[1]!],
      }),
    );
    expect(updated.id).toBe(prop.id);
    expect(updated.units).toHaveLength(1);
    const list = await ok(t.core.dispatch('properties.list', {}));
    expect(list.map((p) => p.title)).toEqual(['Stadthaus am Park (Bauabschnitt 1)']);
  });

  it('refuses invalid input at the boundary (zod) and unknown ids as values', async () => {
    const bad = await t.core.dispatch('properties.save', {
      title: '',
      links: [{ label: 'x', url: 'javascript:alert(1)' }],
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.error.code).toBe('invalid_arguments');
    const dup = await t.core.dispatch('properties.save', {
      title: 'Doppelt',
      units: [
        { id: 'a', number: '1' },
        { id: 'a', number: '2' },
      ],
    });
    expect(dup.ok).toBe(false);
    const missing = await t.core.dispatch('properties.get', { id: 'nope' });
    expect(missing.ok ? '' : missing.error.code).toBe('not_found');
  });

  it('keeps files content-addressed under <dataDir>/properties/<id>/ with sanitised names', async () => {
    const plan = pdf('Grundriss EG', ['1:100']);
    const photo = housePhoto(5);
    await ok(
      t.core.dispatch('properties.addFile', {
        propertyId: prop.id,
        role: 'floor_plan',
        name: '../../etc/\u202eGrundriss EG.pdf',
        contentType: 'application/pdf',
        contentBase64: plan.toString('base64'),
      }),
    );
    const withImage = await ok(
      t.core.dispatch('properties.addFile', {
        propertyId: prop.id,
        role: 'image',
        name: 'Ansicht.png',
        contentType: 'image/png',
        contentBase64: photo.toString('base64'),
      }),
    );
    const [f1, f2] = withImage.files;
    expect(f1?.name).toBe('_Grundriss EG.pdf');
    expect(f1?.sha256).toBe(sha(plan));
    expect(f2?.contentType).toBe('image/png');
    const dir = join(t.dataDir, 'properties', prop.id);
    expect(readdirSync(dir).sort()).toEqual([sha(plan), sha(photo)].sort());
    expect(readFileSync(join(dir, sha(plan))).equals(plan)).toBe(true);
    const back = await ok(t.core.dispatch('properties.readFile', { propertyId: prop.id, fileId: f2!.id }));
    expect(Buffer.from(back.contentBase64, 'base64').equals(photo)).toBe(true);
  });

  it('sniffs the bytes: a renamed file or a PDF as image is refused; a second exposé replaces the first', async () => {
    const fake = await t.core.dispatch('properties.addFile', {
      propertyId: prop.id,
      role: 'document',
      name: 'Rechnung.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('MZ\x90\x00 not a pdf').toString('base64'),
    });
    expect(fake.ok ? '' : fake.error.code).toBe('file_type_unsupported');
    const pdfAsImage = await t.core.dispatch('properties.addFile', {
      propertyId: prop.id,
      role: 'image',
      name: 'Bild.png',
      contentType: 'image/png',
      contentBase64: pdf('x', []).toString('base64'),
    });
    expect(pdfAsImage.ok ? '' : pdfAsImage.error.code).toBe('file_type_mismatch');
    const e1 = pdf('Expose 1', ['a']);
    const e2 = pdf('Expose 2', ['b']);
    for (const [name, bytes] of [
      ['Exposé alt.pdf', e1],
      ['Exposé.pdf', e2],
    ] as const) {
      await ok(
        t.core.dispatch('properties.addFile', {
          propertyId: prop.id,
          role: 'expose',
          name,
          contentType: 'application/pdf',
          contentBase64: bytes.toString('base64'),
        }),
      );
    }
    const p = await ok(t.core.dispatch('properties.get', { id: prop.id }));
    expect(p.files.filter((f) => f.role === 'expose').map((f) => f.name)).toEqual(['Exposé.pdf']);
    expect(existsSync(join(t.dataDir, 'properties', prop.id, sha(e1)))).toBe(false);
  });

  it('removes a file and deletes the property with its folder', async () => {
    const p = await ok(t.core.dispatch('properties.get', { id: prop.id }));
    const img = p.files.find((f) => f.role === 'image')!;
    const after = await ok(t.core.dispatch('properties.removeFile', { propertyId: p.id, fileId: img.id }));
    expect(after.files.some((f) => f.id === img.id)).toBe(false);
    expect(existsSync(join(t.dataDir, 'properties', p.id, img.sha256))).toBe(false);
    await ok(t.core.dispatch('properties.delete', { id: p.id }));
    expect(existsSync(join(t.dataDir, 'properties', p.id))).toBe(false);
    expect(await ok(t.core.dispatch('properties.list', {}))).toEqual([]);
  });
});
