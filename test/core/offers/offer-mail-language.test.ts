import { describe, expect, it } from 'vitest';
import type { OfferProperty } from '../../../src-shared/api';
import { defaultSubject, renderOfferMail, type OfferMailInput } from '../../../src-main/core/offers/mail';

/** a project of two units (one sold) with a Verbrauchsausweis, as an agent would send it */
const project: OfferProperty = {
  title: 'Stadtquartier Lindenhof',
  address: 'Lindenstraße 5, 10969 Berlin',
  description: 'Neubau mit 2 Einheiten.',
  links: [],
  units: [
    { id: 'u1', number: 'WE 1', area: 58.4, rooms: 2, price: 289000, status: 'available' },
    { id: 'u2', number: 'WE 2', area: 118.25, rooms: 4, price: 612500, status: 'sold' },
  ],
  agent: {
    name: 'Maria Makler',
    email: 'maria@makler.example',
    phone: '030 1234567',
    company: 'Makler GmbH',
  },
  legalForm: true,
  cancellationPolicy: { version: '2026-12-01', text: '# Widerrufsbelehrung\n\nSie haben das Recht, …' },
  energy: {
    status: 'available',
    certificateType: 'consumption',
    value: 87.5,
    includesHotWater: true,
    carrier: 'Fernwärme',
    efficiencyClass: 'C',
    validUntil: '2034-05-31',
  },
};

const input = (lang: OfferMailInput['lang'], landingUrl: string | null): OfferMailInput => ({
  property: project,
  intro: '',
  recipientName: 'John Smith',
  landingUrl,
  policy: '# Widerrufsbelehrung\n\nSie haben das Recht, binnen vierzehn Tagen …',
  policyLabel: '2026-12-01',
  attachmentName: 'Widerrufsbelehrung.pdf',
  lang,
});

describe('the offer mail in the prospect’s language', () => {
  it('English: greeting, figures, button and notes in English; the Widerrufsbelehrung stays German', () => {
    const { html, text } = renderOfferMail(input('en', 'https://t.example/l/abc'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Dear John Smith,');
    expect(html).toContain('Please find the offer for “Stadtquartier Lindenhof” below.');
    expect(html).toContain('>View your personal offer</a>');
    // the project's ranges, English number format
    expect(html).toContain('2 units, 1 available');
    expect(html).toContain('from €289,000');
    expect(html).toContain('58.4–118.25 m²');
    expect(html).toContain('WE 2: 4 rooms, 118.25 m², €612,500, sold');
    // § 87 GEG items named in English, the carrier as the agent entered it
    expect(html).toContain('Energy consumption certificate (Verbrauchsausweis)');
    expect(html).toContain('87.5 kWh/(m²·a) (incl. hot water)');
    expect(html).toContain('Fernwärme');
    expect(html).toContain('31/05/2034');
    expect(html).toContain('Kind regards<br>Maria Makler<br>Makler GmbH<br>Phone 030 1234567');
    // the statutory text is German and marked so
    expect(html).toContain('in German, the legally binding wording');
    expect(html).toMatch(/<div lang="de"[^>]*>\s*<h2[^>]*>Widerrufsbelehrung<\/h2>/);
    expect(text).toContain('Your personal offer: https://t.example/l/abc');
    for (const german of [
      'Guten Tag',
      'Ihr persönliches Angebot',
      'Mit freundlichen Grüßen',
      'Einheiten',
      'Kaufpreis',
    ])
      expect(html + text, german).not.toContain(german);
  });

  it('German stays as it was; the Sent copy names no one’s link', () => {
    const { html, text } = renderOfferMail(input('de', null));
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Guten Tag John Smith,');
    expect(html).toContain('gerne sende ich Ihnen das Angebot zu „Stadtquartier Lindenhof“.');
    expect(html).toContain('2 Einheiten, davon 1 frei');
    expect(html).toContain('ab 289.000');
    expect(html).toContain('WE 2: 4 Zi., 118,25 m², 612.500');
    expect(html).toContain('87,5 kWh/(m²·a) (inkl. Warmwasser)');
    expect(html).toContain('31.05.2034');
    expect(text).toContain('Jeder Empfänger erhält einen persönlichen Link');
    expect(text).not.toContain('https://');
    expect(defaultSubject(project, 'de')).toBe('Ihr Angebot: Stadtquartier Lindenhof');
    expect(defaultSubject(project, 'en')).toBe('Your offer: Stadtquartier Lindenhof');
  });
});
