import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWiderrufPdf, winAnsiSafe } from '../../../src-main/core/legal/pdf';
import { loadDefaultWiderruf } from '../../../src-main/core/legal/default-text';
import { fillPlaceholders } from '../../../src-main/core/legal/template';
import { removeDir, startTestCore, type TestCore } from '../helpers';
import { pdfTextLines } from './pdf-text';

describe('Widerrufsbelehrung: versions in the core', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('starts from the default in resources/legal; every edit is a new version; the profile fills placeholders', async () => {
    const first = await t.core.dispatch('legal.get', {});
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.value.current.version).toBe(1);
    expect(first.value.current.text).toContain('Muster-Widerrufsformular');
    expect(first.value.current.label).toMatch(/^Nr\. 1 vom \d{2}\.\d{2}\.\d{4}$/);
    expect(first.value.missing).toEqual(
      expect.arrayContaining(['Name/Firma des Maklers', 'Anschrift des Maklers']),
    );

    const edited = first.value.current.text.replace('vierzehn Tagen ohne', 'vierzehn Tagen (14) ohne');
    const second = await t.core.dispatch('legal.saveText', { text: edited });
    expect(second.ok && second.value.current.version).toBe(2);
    // saving the same text again makes no new version
    const same = await t.core.dispatch('legal.saveText', { text: edited });
    expect(same.ok && same.value.versions.map((v) => v.version)).toEqual([2, 1]);
    const wrong = await t.core.dispatch('legal.saveText', { text: 'x'.repeat(80) });
    expect(wrong.ok ? '' : wrong.error.code).toBe('legal_text_invalid');

    const prof = await t.core.dispatch('legal.saveProfile', {
      company: 'Sommer Immobilien GmbH',
      address: 'Lindenthaler Straße 40, 04155 Leipzig',
      phone: '+49 341 123 456 78',
      commissionNotice: '',
    });
    // the e-mail address comes from the mail account, which is not set up here
    expect(prof.ok && prof.value.missing).toEqual(['E-Mail-Adresse']);
  });
});

describe('Widerrufsbelehrung PDF', () => {
  it('renders the text and the form on their own pages; German characters survive in WinAnsi', async () => {
    const def = loadDefaultWiderruf();
    if (!def.ok) throw new Error(JSON.stringify(def.error));
    const { text, missing } = fillPlaceholders(def.value, {
      firma: 'Müller & Söhne Immobilien',
      anschrift: 'Große Straße 5, 04109 Leipzig',
      telefon: '0341 12345',
      email: 'widerruf@mueller.example',
      objekt: 'Gohliser Gärten 3, 04155 Leipzig',
    });
    expect(missing).toEqual([]);
    const pdf = await renderWiderrufPdf({
      text,
      versionLabel: 'Fassung Nr. 3 vom 01.07.2025',
      sender: 'Müller & Söhne Immobilien · Große Straße 5, 04109 Leipzig',
      subject: 'Neubauprojekt „Gohliser Gärten“ – Gohliser Gärten 3, 04155 Leipzig',
      createdAt: new Date('2025-07-01T10:00:00Z'),
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    const pages = pdfTextLines(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.map((p) => p.join(' ')).join('\n');
    expect(pages[0]![0]).toBe('Neubauprojekt „Gohliser Gärten“ – Gohliser Gärten 3, 04155 Leipzig');
    expect(all).toContain('Widerrufsbelehrung');
    expect(all).toContain('binnen vierzehn Tagen ohne Angabe von Gründen');
    expect(all).toContain('Müller & Söhne Immobilien, Große Straße 5, 04109 Leipzig');
    expect(all).toContain('während der Widerrufsfrist beginnen soll');
    expect(all).not.toContain('Besonderer Hinweis');
    // the form begins a page of its own, and it is the Anlage-2 wording
    const formPage = pages.find((p) => p.includes('Muster-Widerrufsformular'))!;
    expect(formPage).toBeDefined();
    expect(pages.indexOf(formPage)).toBeGreaterThan(0);
    expect(formPage.join(' ')).toContain('Hiermit widerrufe(n) ich/wir (*)');
    expect(formPage.join(' ')).toContain('(*) Unzutreffendes streichen.');
    expect(pages.at(-1)!.at(-1)).toMatch(/Seite \d+ von \d+$/);
    // characters outside WinAnsi cannot crash the renderer
    expect(winAnsiSafe('Straße „A“ – € ✓ 日本')).toBe('Straße „A“ – € ? ??');
  });
});
