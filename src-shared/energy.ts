import { z } from 'zod';
import type { EnergyItem } from './i18n/energy-terms';

/**
 * The Energieausweis as property ads must state it (§ 87 GEG): the type of certificate, the final
 * energy demand or consumption value, the main energy carrier for heating, for residential
 * buildings the year of construction and the efficiency class.
 *
 * `status` says whether there is one: § 87 applies when a certificate exists at the time of the
 * ad; without one (a Neubau before completion, a certificate still being drawn up) the ad says so
 * and the certificate is shown at the viewing at the latest (§ 80 Abs. 4 GEG); some buildings
 * need none at all (e.g. Baudenkmäler, § 79 Abs. 4 GEG).
 */
export const EnergyCertificateStatus = z.enum(['available', 'pending', 'not_required']);
export type EnergyCertificateStatus = z.infer<typeof EnergyCertificateStatus>;

export const EFFICIENCY_CLASSES = ['A+', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** kWh/(m²·a); real buildings stay far below 2,000 */
const kwh = z.number().nonnegative().max(10_000);

export const EnergyCertificate = z
  .object({
    status: EnergyCertificateStatus,
    /** Bedarfsausweis or Verbrauchsausweis */
    certificateType: z.enum(['demand', 'consumption']).optional(),
    /** Endenergiebedarf or Endenergieverbrauch, kWh/(m²·a) */
    value: kwh.optional(),
    /** whether a consumption value includes hot water (OpenImmo mitwarmwasser) */
    includesHotWater: z.boolean().optional(),
    /** wesentlicher Energieträger der Heizung, e.g. „Fernwärme“, „Erdgas“ */
    carrier: z.string().trim().max(100).optional(),
    /** Baujahr of the building as in the certificate */
    constructionYear: z.number().int().min(1000).max(2200).optional(),
    efficiencyClass: z.enum(EFFICIENCY_CLASSES).optional(),
    issuedOn: isoDate.optional(),
    validUntil: isoDate.optional(),
    /** the rules it was issued under (OpenImmo jahrgang: 2008, 2014 …) */
    edition: z.string().trim().max(20).optional(),
    buildingType: z.enum(['residential', 'non_residential']).optional(),
    /** non-residential buildings: separate heat and power values, kWh/(m²·a) */
    heatValue: kwh.optional(),
    powerValue: kwh.optional(),
  })
  .strict();
export type EnergyCertificate = z.infer<typeof EnergyCertificate>;

const NUM = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const kwhLabel = (n: number) => `${NUM.format(n)} kWh/(m²·a)`;
const dateDe = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
};

export const ENERGY_PENDING_TEXT =
  'Ein Energieausweis liegt noch nicht vor. Er wird spätestens bei der Besichtigung vorgelegt (§ 80 Abs. 4 GEG).';
export const ENERGY_NOT_REQUIRED_TEXT =
  'Für dieses Gebäude ist kein Energieausweis erforderlich (§ 79 Abs. 4 GEG, z. B. Baudenkmal).';

/**
 * The certificate as German label/value lines for the landing page, the offer mail and the
 * facts, the § 87 GEG items first. One line with the explanation when there is none.
 */
export function energyLines(e: EnergyCertificate): [string, string][] {
  if (e.status === 'pending') return [['Energieausweis', ENERGY_PENDING_TEXT]];
  if (e.status === 'not_required') return [['Energieausweis', ENERGY_NOT_REQUIRED_TEXT]];
  const out: [string, string][] = [];
  out.push([
    'Energieausweis',
    e.certificateType === 'demand'
      ? 'Bedarfsausweis'
      : e.certificateType === 'consumption'
        ? 'Verbrauchsausweis'
        : 'vorhanden (Art nicht angegeben)',
  ]);
  if (e.value !== undefined) {
    const label = e.certificateType === 'consumption' ? 'Endenergieverbrauch' : 'Endenergiebedarf';
    const hw =
      e.certificateType === 'consumption' && e.includesHotWater !== undefined
        ? e.includesHotWater
          ? ' (inkl. Warmwasser)'
          : ' (ohne Warmwasser)'
        : '';
    out.push([label, `${kwhLabel(e.value)}${hw}`]);
  }
  if (e.heatValue !== undefined) out.push(['Wärmewert', kwhLabel(e.heatValue)]);
  if (e.powerValue !== undefined) out.push(['Stromwert', kwhLabel(e.powerValue)]);
  if (e.carrier) out.push(['Wesentlicher Energieträger', e.carrier]);
  if (e.constructionYear !== undefined)
    out.push(['Baujahr (laut Energieausweis)', String(e.constructionYear)]);
  if (e.efficiencyClass) out.push(['Energieeffizienzklasse', e.efficiencyClass]);
  if (e.issuedOn) out.push(['Ausgestellt am', dateDe(e.issuedOn)]);
  if (e.validUntil) out.push(['Gültig bis', dateDe(e.validUntil)]);
  return out;
}

/** which § 87 GEG items an available certificate still lacks (words: i18n/energy-terms.ts) */
export function energyMissing(e: EnergyCertificate): EnergyItem[] {
  if (e.status !== 'available') return [];
  const missing: EnergyItem[] = [];
  if (!e.certificateType) missing.push('certificateType');
  if (e.value === undefined && e.heatValue === undefined) missing.push('value');
  if (!e.carrier) missing.push('carrier');
  if (e.buildingType !== 'non_residential') {
    if (e.constructionYear === undefined) missing.push('constructionYear');
    if (!e.efficiencyClass) missing.push('efficiencyClass');
  }
  return missing;
}
