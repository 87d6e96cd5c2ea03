import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpenImmo } from '../../../src-main/core/properties/openimmo';
import { readOpenImmoZip, ZIP_LIMITS } from '../../../src-main/core/properties/zip';
import { projectFacts } from '../../../src-shared/project-facts';
import {
  declareSize,
  renameEntry,
  SAMPLE_TITLE,
  sampleFiles,
  sampleXml,
  sampleZip,
  zipOf,
} from '../../fixtures/openimmo-zip/sample';
import { removeDir, startTestCore, type TestCore } from '../helpers';
import { deText, enText } from '../../support/messages';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the issue-13 sample (OpenImmo 1.2.7 Neubauprojekt, three Wohnungen)', () => {
  it('reads units with their own titles and teasers, the Energieausweis and the courtage_hinweis', () => {
    const r = parseOpenImmo(sampleXml());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.properties).toHaveLength(1);
    const p = r.value.properties[0]!;
    expect(p.data.title).toBe(SAMPLE_TITLE);
    expect(p.data.kind).toBe('project');
    expect(p.data.externalId).toBe('AMG-PROJEKT');
    // CDATA with markup characters stays text
    expect(p.data.description).toContain('<b>Alle</b> Wohnungen');
    expect(p.data.description).toContain('Straßenbahn & Bäcker < 300 m');
    expect(p.data.units.map((u) => [u.number, u.floor, u.area, u.rooms, u.price, u.status, u.title])).toEqual(
      [
        ['WE 1', 'EG', 58.4, 2, 289000, 'available', 'Gartenwohnung mit Süd-Terrasse'],
        ['WE 2', '1. OG', 84.6, 3, 398000, 'reserved', 'Familienwohnung mit Loggia'],
        ['WE 3', '2. OG', 118.2, 4, 569000, 'available', 'Penthouse mit Elbblick'],
      ],
    );
    expect(p.data.units[0]!.teaser).toBe('2 Zimmer, Terrasse & eigener Garten – ideal für Paare.');
    expect(p.data.energy).toEqual({
      status: 'available',
      certificateType: 'demand',
      value: 28.4,
      carrier: 'Luft-Wärmepumpe',
      constructionYear: 2026,
      efficiencyClass: 'A+',
      issuedOn: '2026-04-01',
      validUntil: '2036-03-31',
      edition: '2014',
      buildingType: 'residential',
    });
    expect(p.data.commissionNotice).toBe(
      'Käuferprovision: 3,57 % inkl. MwSt.\n\nDie Käuferprovision beträgt 3,57 % des Kaufpreises inkl. gesetzlicher MwSt. und ist mit Abschluss des notariellen Kaufvertrags verdient & fällig.',
    );
    expect(p.attachments.map((a) => [a.role, a.name])).toEqual([
      ['image', 'Außenansicht Süd.png'],
      ['image', 'Wohnküche.png'],
      ['expose', 'Exposé Am Mühlgraben.pdf'],
      ['floor_plan', 'Grundriss WE 1.pdf'],
    ]);
    // what was read is not reported; what was not, is – nothing silently
    const paths = r.value.notImported.map((n) => n.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'openimmo/anbieter/firma',
        'openimmo/anbieter/immobilie/kontaktperson/name',
        'openimmo/anbieter/immobilie/geo/bundesland',
        'openimmo/anbieter/immobilie/objektkategorie/vermarktungsart@KAUF',
        'openimmo/anbieter/immobilie/verwaltung_objekt/verfuegbar_ab',
        'openimmo/anbieter/immobilie/ausstattung/heizungsart@FUSSBODEN',
        'openimmo/anbieter/immobilie/zustand_angaben/baujahr',
      ]),
    );
    for (const taken of [
      'objekttitel',
      'dreizeiler',
      'energiepass',
      'courtage_hinweis',
      'kaufpreis',
      'wohnflaeche',
      '/geo/plz',
      '/geo/etage',
      'verkaufstatus',
      'anhangtitel',
    ])
      expect(paths.filter((x) => x.includes(taken))).toEqual([]);
    const kontakt = r.value.notImported.find((n) => n.path.endsWith('kontaktperson/name'));
    expect(kontakt).toMatchObject({ count: 1, example: 'Größer' });
    // three units each carry an objektkategorie the project also has: counted, not repeated
    expect(r.value.notImported.find((n) => n.path.endsWith('objektart/wohnung@wohnungtyp'))?.count).toBe(4);
    expect(r.value.warnings).toEqual([]);
  });

  it('project facts are ranges over the units, not the master’s sums', () => {
    const r = parseOpenImmo(sampleXml());
    if (!r.ok) throw new Error('parse');
    const facts = Object.fromEntries(projectFacts(r.value.properties[0]!.data.units));
    expect(facts).toEqual({
      Einheiten: '3 Einheiten, davon 2 frei',
      Kaufpreise: 'ab 289.000\u00a0€',
      Wohnflächen: '58,4–118,2 m²',
      Zimmer: '2–4',
    });
  });

  it('a malformed document names line, column and the reason in German', () => {
    const broken = sampleXml().replace('</wohnflaeche>', '</wohnflaech>');
    const r = parseOpenImmo(broken);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = broken.split('\n').findIndex((l) => l.includes('</wohnflaech>')) + 1;
    expect(deText(r.error.message)).toMatch(
      new RegExp(`^Die Datei ist kein gültiges XML\\. Zeile ${line}, Spalte \\d+: `),
    );
    expect(deText(r.error.message)).toContain(
      'Das schließende Tag </wohnflaech> passt nicht: erwartet wurde </wohnflaeche>',
    );
    const unclosed = parseOpenImmo('<openimmo><anbieter>');
    expect(unclosed.ok ? '' : deText(unclosed.error.message)).toMatch(
      /Zeile 1, Spalte \d+: .*nie geschlossen/,
    );
    // the same reasons in English: keys with parameters, no German sentence travels
    expect(enText(r.error.message)).toMatch(
      new RegExp(
        `^The file is not valid XML\\. Line ${line}, column \\d+: the closing tag </wohnflaech> does not match: expected </wohnflaeche> \\(opened in line \\d+, column \\d+\\)\\.$`,
      ),
    );
    expect(unclosed.ok ? '' : enText(unclosed.error.message)).toMatch(/Line 1, column \d+: .*never closed/);
    for (const xml of ['<a b="1" b="2"/>', '<a>&</a>', '</a>', '<a b="x></a>', '<a b/>', '< a/>', '']) {
      const bad = parseOpenImmo(xml);
      expect(bad.ok).toBe(false);
      if (bad.ok) continue;
      expect(enText(bad.error.message)).not.toMatch(/Zeile|Spalte|Datei|schließend|Attribut|nicht|Wert|XML-Prüfer/);
      expect(deText(bad.error.message)).toMatch(/^Die Datei ist kein gültiges XML\. Zeile 1, Spalte \d+: \S/);
      expect(enText(bad.error.message)).toMatch(/^The file is not valid XML\. Line 1, column \d+: \S/);
    }
  });
});

describe('readOpenImmoZip refuses hostile archives with a German reason', () => {
  it('a zip bomb by ratio', async () => {
    const bomb = await zipOf([
      ['export/a.xml', Buffer.from('<openimmo/>')],
      ['export/nullen.pdf', Buffer.alloc(20 * 1024 * 1024)],
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    const r = await readOpenImmoZip(bomb);
    expect(r.ok ? '' : r.error.code).toBe('zip_bomb');
    expect(r.ok ? '' : deText(r.error.message)).toMatch(
      /„export\/nullen.pdf“ .* würde sich auf das \d+-Fache entpacken \(ZIP-Bombe\?\)/,
    );
  });

  it('a zip bomb that lies about its size is stopped while inflating', async () => {
    const honest = await zipOf([['export/a.xml', Buffer.alloc(2 * 1024 * 1024, 0x20)]]);
    const r = await readOpenImmoZip(declareSize(honest, 1000));
    expect(r.ok ? '' : r.error.code).toBe('zip_bomb');
    expect(r.ok ? '' : deText(r.error.message)).toContain('entpackt sich größer als angegeben');
  });

  it('path traversal and absolute names', async () => {
    const good = await zipOf([
      ['export/a.xml', Buffer.from('<openimmo/>')],
      ['xx/passwd', Buffer.from('x')],
    ]);
    const traversal = renameEntry(good, 'xx/passwd', '../passwd');
    const r = await readOpenImmoZip(traversal);
    expect(r.ok ? '' : r.error.code).toBe('zip_unsafe_path');
    expect(r.ok ? '' : deText(r.error.message)).toContain('unzulässigen Dateinamen („../passwd“');
    const abs = renameEntry(good, 'xx/passwd', '/etc/pass');
    expect((await readOpenImmoZip(abs)).ok ? '' : 'refused').toBe('refused');
  });

  it('too many entries, too large entries, encrypted or no XML', async () => {
    const many = await zipOf(
      Array.from({ length: ZIP_LIMITS.entries + 1 }, (_, i): [string, Buffer] => [
        `f/${i}.txt`,
        Buffer.from('x'),
      ]),
    );
    const r = await readOpenImmoZip(many);
    expect(r.ok ? '' : deText(r.error.message)).toBe(
      `Das ZIP-Archiv enthält ${ZIP_LIMITS.entries + 1} Einträge, höchstens ${ZIP_LIMITS.entries} sind erlaubt.`,
    );
    const big = await zipOf([['a.xml', Buffer.alloc(64 * 1024, 0x41)]], { compress: false });
    const small = { ...ZIP_LIMITS, entryBytes: 32 * 1024 };
    const rb = await readOpenImmoZip(big, small);
    expect(rb.ok ? '' : rb.error.code).toBe('zip_entry_too_large');
    const none = await readOpenImmoZip(await zipOf([['bild.png', Buffer.from('x')]]));
    expect(none.ok ? '' : deText(none.error.message)).toBe(
      'Das ZIP-Archiv enthält keine OpenImmo-XML-Datei.',
    );
    const notZip = await readOpenImmoZip(Buffer.from('<openimmo/>'));
    expect(notZip.ok ? '' : notZip.error.code).toBe('zip_invalid');
  });
});

describe('properties.importOpenImmo with the portal ZIP', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('imports the archive (nested folders, a name with a space) and reports everything', async () => {
    const zip = await sampleZip();
    const r = await t.core.dispatch('properties.importOpenImmo', {
      zipBase64: zip.toString('base64'),
      fileName: 'AMG-Export.zip',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const p = r.value.properties[0]!;
    expect(p.units.map((u) => u.title)).toEqual([
      'Gartenwohnung mit Süd-Terrasse',
      'Familienwohnung mit Loggia',
      'Penthouse mit Elbblick',
    ]);
    expect(p.energy?.efficiencyClass).toBe('A+');
    const files = sampleFiles();
    const byName = new Map(p.files.map((f) => [f.name, f]));
    expect(byName.get('Grundriss WE 1.pdf')?.sha256).toBe(sha(files.get('grundrisse/WE 1 Grundriss.pdf')!));
    expect(byName.get('Exposé Am Mühlgraben.pdf')?.role).toBe('expose');
    expect(p.files).toHaveLength(4);
    // the files are stored under their hash, never under a name from the archive
    const stored = readdirSync(join(t.dataDir, 'properties', p.id));
    expect(stored.every((n) => /^[0-9a-f]{64}$/.test(n))).toBe(true);

    const rep = r.value.report;
    expect(rep.source).toMatchObject({ kind: 'zip', name: 'AMG-Export.zip', bytes: zip.length, entries: 6 });
    expect(rep.imported).toEqual([
      expect.objectContaining({
        title: SAMPLE_TITLE,
        kind: 'project',
        updated: false,
        energy: 'available',
        commissionNotice: true,
        links: 0,
      }),
    ]);
    expect(rep.imported[0]!.units).toHaveLength(3);
    expect(rep.imported[0]!.files.map((f) => f.role).sort()).toEqual([
      'expose',
      'floor_plan',
      'image',
      'image',
    ]);
    expect(rep.warnings).toEqual([]);
    expect(rep.unusedFiles).toEqual(['export/liesmich.txt']);
    expect(rep.notImported.length).toBeGreaterThan(10);

    // a second import of the same export updates the property
    const again = await t.core.dispatch('properties.importOpenImmo', { zipBase64: zip.toString('base64') });
    expect(again.ok && again.value.report.imported[0]!.updated).toBe(true);
    expect(again.ok && again.value.properties[0]!.id).toBe(p.id);
  }, 60_000);

  it('a referenced file missing from the archive is a warning, the rest is imported', async () => {
    const zip = await sampleZip({ without: 'bilder/wohnkueche.png' });
    const r = await t.core.dispatch('properties.importOpenImmo', { zipBase64: zip.toString('base64') });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.report.warnings).toEqual([
      {
        key: 'file_missing',
        path: '/openimmo/anbieter[1]/immobilie[1]/anhaenge/anhang[2]',
        params: { file: 'bilder/wohnkueche.png' },
      },
    ]);
    // the agent's text is a message key, German and English in the catalogue
    expect(r.value.warnings[0]).toEqual({
      key: 'importNoteFileMissing',
      params: { file: 'bilder/wohnkueche.png', path: '/openimmo/anbieter[1]/immobilie[1]/anhaenge/anhang[2]' },
    });
    expect(deText(r.value.warnings[0])).toBe('Datei „bilder/wohnkueche.png“ wurde nicht mitgegeben.');
    expect(enText(r.value.warnings[0])).toBe('The file “bilder/wohnkueche.png” was not supplied.');
  }, 60_000);

  it('two files of the same name in different folders are not guessed between', async () => {
    const xml = sampleXml().replace('bilder/wohnkueche.png', 'wohnkueche.png');
    const zip = await zipOf([
      ['openimmo.xml', Buffer.from(xml)],
      ...[...sampleFiles()].filter(([n]) => !n.endsWith('wohnkueche.png')),
      ['a/wohnkueche.png', sampleFiles().get('bilder/wohnkueche.png')!],
      ['b/wohnkueche.png', sampleFiles().get('bilder/aussenansicht-sued.png')!],
    ]);
    const r = await t.core.dispatch('properties.importOpenImmo', { zipBase64: zip.toString('base64') });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.report.warnings.map((w) => [w.key, w.params.candidates])).toEqual([
      ['file_ambiguous', 'a/wohnkueche.png, b/wohnkueche.png'],
    ]);
  }, 60_000);

  it('a hostile archive is refused through the core with its German reason', async () => {
    const bomb = await zipOf([
      ['a.xml', Buffer.from('<openimmo/>')],
      ['b.pdf', Buffer.alloc(20 * 1024 * 1024)],
    ]);
    const r = await t.core.dispatch('properties.importOpenImmo', { zipBase64: bomb.toString('base64') });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error.code).toBe('zip_bomb');
    expect(r.ok ? '' : deText(r.error.message)).toContain('ZIP-Bombe');
  }, 60_000);
});
