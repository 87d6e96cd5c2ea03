import { describe, expect, it } from 'vitest';
import { parseOpenImmo } from '../../../src-main/core/properties/openimmo';
import { importNoteMessage } from '../../../src-shared/import-notes';
import { carrierInEnglish } from '../../../src-shared/i18n/energy-terms';
import { deText, enText } from '../../support/messages';

/**
 * The energy certificate's words (issue 12 review): the carrier is stored in German (it is
 * prospect-facing), the agent's English view gets English for it and for what § 87 GEG still lacks.
 */
describe('energy certificate words in both languages', () => {
  const xml = `<openimmo><uebertragung version="1.2.7"/><anbieter><immobilie>
    <freitexte><objekttitel>Altbau am Markt</objekttitel></freitexte>
    <zustand_angaben><energiepass><epart>BEDARF</epart><primaerenergietraeger>FERN</primaerenergietraeger></energiepass></zustand_angaben>
  </immobilie></anbieter></openimmo>`;

  it('stores the carrier in German and reports the missing items in German and in English', () => {
    const r = parseOpenImmo(xml);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.properties[0]!.data.energy).toMatchObject({ carrier: 'Fernwärme' });
    const incomplete = r.value.warnings.find((w) => w.key === 'energy_incomplete');
    expect(incomplete).toBeDefined();
    const m = importNoteMessage(incomplete!);
    expect(deText(m)).toBe(
      'Energieausweis unvollständig, für § 87 GEG fehlt: Energiekennwert, Baujahr, Energieeffizienzklasse.',
    );
    expect(enText(m)).toBe(
      'Energy certificate incomplete, § 87 GEG still needs: energy value, year of construction, efficiency class.',
    );
  });

  it('names a stored German carrier in English, and only a known one', () => {
    expect(carrierInEnglish('Fernwärme')).toBe('district heating');
    expect(carrierInEnglish('Öl, Holzpellets')).toBe('oil, wood pellets');
    expect(carrierInEnglish('Biogas aus dem Dorf')).toBeNull();
  });
});
