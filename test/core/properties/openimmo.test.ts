import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNumber, parseOpenImmo } from '../../../src-main/core/properties/openimmo';
import { asUpload, projectFiles, projectXml, singleFiles, singleXml } from '../../fixtures/openimmo/files';
import { removeDir, startTestCore, type TestCore } from '../helpers';
import { deText } from '../../support/messages';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('OpenImmo parser', () => {
  it('reads the Neubauprojekt as one project with five units', () => {
    const r = parseOpenImmo(projectXml());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.properties).toHaveLength(1);
    const p = r.value.properties[0]!;
    expect(p.data).toMatchObject({
      kind: 'project',
      externalId: 'GG-PROJEKT',
      title: 'Neubauprojekt „Gohliser Gärten“ – 5 Eigentumswohnungen',
      street: 'Gohliser Gärten',
      houseNumber: '3',
      postalCode: '04155',
      city: 'Leipzig',
      price: 289000,
      area: 64.2,
      rooms: 2,
    });
    expect(p.data.description).toContain('begrüntem Innenhof & Spielplatz');
    expect(p.data.description).toContain('Lage\nRuhige Seitenstraße');
    expect(p.data.commissionNotice).toContain('3,57 %');
    expect(p.data.units.map((u) => [u.number, u.floor, u.area, u.rooms, u.price, u.status])).toEqual([
      ['WE 1', 'EG', 64.2, 2, 289000, 'available'],
      ['WE 2', '1. OG', 78.5, 3, 349000, 'available'],
      ['WE 3', '1. OG', 92, 4, 415000, 'reserved'],
      ['WE 4', '2. OG', 71, 3, 369000, 'available'],
      ['WE 5', '3. OG', 104.3, 4, 529000, 'sold'],
    ]);
    expect(p.data.links.map((l) => l.label)).toEqual(['Virtueller Rundgang', 'Lage auf der Karte']);
    expect(p.attachments.map((a) => [a.role, a.name])).toEqual([
      ['image', 'Ansicht Straßenseite.png'],
      ['image', 'Wohnen und Essen.png'],
      ['floor_plan', 'Grundriss EG.pdf'],
      ['expose', 'Exposé Gohliser Gärten.pdf'],
      ['document', 'Baubeschreibung.pdf'],
      ['floor_plan', 'Grundriss WE 3.pdf'],
    ]);
  });

  it('reads the single property: German number formats, entities, logo skipped', () => {
    const r = parseOpenImmo(singleXml());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const p = r.value.properties[0]!;
    expect(p.data.kind).toBe('single');
    expect(p.data.title).toBe('Doppelhaushälfte mit Garten am Auenwald – Müller & Söhne Bauqualität');
    expect(p.data.price).toBe(1249000);
    expect(p.data.area).toBe(148.5);
    expect(p.data.houseNumber).toBe('7a');
    expect(p.data.description).toContain('Südgarten.\nEnergieausweis');
    expect(p.attachments.map((a) => a.role)).toEqual(['image', 'floor_plan', 'document']);
    expect(parseNumber('1.234,56')).toBe(1234.56);
    expect(parseNumber('349000.00')).toBe(349000);
    expect(parseNumber('abc')).toBeNull();
  });

  it('hostile or broken XML is a value with the element path, never a crash or an expansion', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><openimmo><anbieter><immobilie><freitexte><objekttitel>&lol3;</objekttitel></freitexte></immobilie></anbieter></openimmo>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><openimmo><anbieter><immobilie><freitexte><objekttitel>&xxe;</objekttitel></freitexte></immobilie></anbieter></openimmo>`;
    for (const xml of [laughs, xxe]) {
      const r = parseOpenImmo(xml);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : deText(r.error.message)).toMatch(/DOCTYPE/);
    }
    const broken = parseOpenImmo('<openimmo><anbieter><immobilie></anbieter></openimmo>');
    expect(broken.ok ? '' : broken.error.path).toMatch(/^line 1, column \d+/);
    const notOpenImmo = parseOpenImmo('<rss><channel/></rss>');
    expect(notOpenImmo.ok ? '' : notOpenImmo.error.path).toBe('/openimmo');
    const noTitle = parseOpenImmo(
      '<openimmo><anbieter><immobilie><freitexte><objekttitel>A</objekttitel></freitexte></immobilie><immobilie><geo><ort>X</ort></geo></immobilie></anbieter></openimmo>',
    );
    expect(noTitle.ok ? '' : noTitle.error.path).toBe(
      '/openimmo/anbieter[1]/immobilie[2]/freitexte/objekttitel',
    );
    const huge = parseOpenImmo(`<openimmo>${' '.repeat(10 * 1024 * 1024)}</openimmo>`);
    expect(huge.ok ? '' : deText(huge.error.message)).toMatch(/zu groß/);
    // a link with a script URL is not taken over
    const js = parseOpenImmo(
      '<openimmo><anbieter><immobilie><freitexte><objekttitel>A</objekttitel></freitexte><anhaenge><anhang location="REMOTE" gruppe="LINKS"><anhangtitel>x</anhangtitel><daten><pfad>javascript:alert(1)</pfad></daten></anhang></anhaenge></immobilie></anbieter></openimmo>',
    );
    expect(js.ok && js.value.properties[0]!.data.links).toEqual([]);
  });
});

describe('properties.importOpenImmo through the core', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('imports both samples with their files; a second import updates instead of duplicating', async () => {
    const files = projectFiles();
    const r = await t.core.dispatch('properties.importOpenImmo', {
      xml: projectXml(),
      files: asUpload(files),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.warnings).toEqual([]);
    const p = r.value.properties[0]!;
    expect(p.units).toHaveLength(5);
    const byName = new Map(p.files.map((f) => [f.name, f]));
    expect(byName.get('Grundriss EG.pdf')?.sha256).toBe(sha(files.get('grundriss-eg.pdf')!));
    expect(byName.get('Exposé Gohliser Gärten.pdf')?.role).toBe('expose');
    expect(p.files).toHaveLength(6);

    const again = await t.core.dispatch('properties.importOpenImmo', {
      xml: projectXml(),
      files: asUpload(files),
    });
    expect(again.ok && again.value.properties[0]!.id).toBe(p.id);
    expect(again.ok && again.value.properties[0]!.files).toHaveLength(6);

    const s = singleFiles();
    s.delete('energieausweis.pdf');
    const single = await t.core.dispatch('properties.importOpenImmo', {
      xml: singleXml(),
      files: asUpload(s),
    });
    if (!single.ok) throw new Error(JSON.stringify(single.error));
    expect(single.value.warnings.map((w) => `${w.params?.path}: ${deText(w)}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/anhang\[4\]: Datei „energieausweis.pdf“ wurde nicht mitgegeben/),
      ]),
    );
    // the logo is not taken over, and the report says so
    expect(single.value.report.warnings.map((w) => w.key).sort()).toEqual([
      'attachment_group_skipped',
      'file_missing',
    ]);
    expect(single.value.properties[0]!.files.map((f) => f.name)).toEqual([
      'Gartenansicht.png',
      'Grundriss Erdgeschoss.pdf',
    ]);
    const list = await t.core.dispatch('properties.list', {});
    expect(list.ok && list.value).toHaveLength(2);
  });

  it('a hostile document is refused with its reason', async () => {
    const r = await t.core.dispatch('properties.importOpenImmo', {
      xml: '<!DOCTYPE a [<!ENTITY a "aaaa">]><openimmo/>',
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error.code).toBe('openimmo_invalid');
  });
});
