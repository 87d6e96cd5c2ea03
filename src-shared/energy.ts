import { z } from 'zod';
import type { EnergyItem } from './i18n/energy-terms';
import { prospectFormats, prospectTexts, type ProspectLanguage } from './i18n/prospect';

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

/**
 * The certificate as label/value lines for the landing page, the offer mail and the facts, the
 * § 87 GEG items first, in the prospect's language (prospect/*.ts). One line with the
 * explanation when there is none.
 */
export function energyLines(e: EnergyCertificate, lang: ProspectLanguage = 'de'): [string, string][] {
  const t = prospectTexts(lang).energy;
  const { num1 } = prospectFormats(lang);
  const kwh = (n: number) => `${num1.format(n)} kWh/(m²·a)`;
  if (e.status === 'pending') return [[t.certificate, t.pending]];
  if (e.status === 'not_required') return [[t.certificate, t.notRequired]];
  const out: [string, string][] = [];
  out.push([
    t.certificate,
    e.certificateType === 'demand'
      ? t.demand
      : e.certificateType === 'consumption'
        ? t.consumption
        : t.typeUnknown,
  ]);
  if (e.value !== undefined) {
    const label = e.certificateType === 'consumption' ? t.consumptionValue : t.demandValue;
    const hw =
      e.certificateType === 'consumption' && e.includesHotWater !== undefined
        ? e.includesHotWater
          ? t.withHotWater
          : t.withoutHotWater
        : '';
    out.push([label, `${kwh(e.value)}${hw}`]);
  }
  if (e.heatValue !== undefined) out.push([t.heatValue, kwh(e.heatValue)]);
  if (e.powerValue !== undefined) out.push([t.powerValue, kwh(e.powerValue)]);
  if (e.carrier) out.push([t.carrier, e.carrier]);
  if (e.constructionYear !== undefined) out.push([t.constructionYear, String(e.constructionYear)]);
  if (e.efficiencyClass) out.push([t.efficiencyClass, e.efficiencyClass]);
  if (e.issuedOn) out.push([t.issuedOn, t.date(e.issuedOn)]);
  if (e.validUntil) out.push([t.validUntil, t.date(e.validUntil)]);
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
