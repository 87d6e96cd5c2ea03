import type { IpcArgs, PropertyDto } from '../../../src-shared/ipc';
import type { OfferUnit } from '../../../src-shared/api';
import type { EFFICIENCY_CLASSES, EnergyCertificate } from '../../../src-shared/energy';

/** The property form as typed: numbers stay text until saved, so „289.000“ survives editing. */
export type PropertyFormValues = {
  kind: 'single' | 'project';
  title: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  price: string;
  area: string;
  rooms: string;
  description: string;
  commissionNotice: string;
  links: { label: string; url: string }[];
  energy: EnergyFormValues;
  units: {
    id: string;
    number: string;
    floor: string;
    area: string;
    rooms: string;
    price: string;
    status: OfferUnit['status'];
    title: string;
    /** imported with the unit (OpenImmo dreizeiler); kept as is on save */
    teaser: string;
  }[];
};

/** the Energieausweis as typed; status 'none' = not entered (the landing page says none is there yet) */
export type EnergyFormValues = {
  status: 'none' | EnergyCertificate['status'];
  certificateType: '' | 'demand' | 'consumption';
  value: string;
  includesHotWater: '' | 'yes' | 'no';
  carrier: string;
  constructionYear: string;
  efficiencyClass: '' | (typeof EFFICIENCY_CLASSES)[number];
  issuedOn: string;
  validUntil: string;
  buildingType: '' | 'residential' | 'non_residential';
  /** kept from an import, not edited here */
  edition: string;
  heatValue: string;
  powerValue: string;
};

export type UnitRow = PropertyFormValues['units'][number];
export type LinkRow = PropertyFormValues['links'][number];

export const euro = (n: number | null, lang: string) =>
  n === null
    ? ''
    : new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      }).format(n);

const grouped = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
/** German number text („289.000“, „64,2“) that textNum reads back */
const numText = (n: number | null | undefined) => (n === null || n === undefined ? '' : grouped.format(n));
const textNum = (s: string): number | null => {
  const v = s.trim().replace(/\./g, '').replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

function energyForm(e: EnergyCertificate | null | undefined): EnergyFormValues {
  return {
    status: e?.status ?? 'none',
    certificateType: e?.certificateType ?? '',
    value: numText(e?.value),
    includesHotWater: e?.includesHotWater === undefined ? '' : e.includesHotWater ? 'yes' : 'no',
    carrier: e?.carrier ?? '',
    constructionYear: e?.constructionYear === undefined ? '' : String(e.constructionYear),
    efficiencyClass: e?.efficiencyClass ?? '',
    issuedOn: e?.issuedOn ?? '',
    validUntil: e?.validUntil ?? '',
    buildingType: e?.buildingType ?? '',
    edition: e?.edition ?? '',
    heatValue: numText(e?.heatValue),
    powerValue: numText(e?.powerValue),
  };
}

export function energyInput(f: EnergyFormValues): EnergyCertificate | null {
  if (f.status === 'none') return null;
  if (f.status !== 'available') return { status: f.status };
  const value = textNum(f.value);
  const heat = textNum(f.heatValue);
  const power = textNum(f.powerValue);
  const year = /^\d{4}$/.test(f.constructionYear.trim()) ? Number(f.constructionYear.trim()) : null;
  return {
    status: 'available',
    ...(f.certificateType ? { certificateType: f.certificateType } : {}),
    ...(value !== null ? { value } : {}),
    ...(f.includesHotWater ? { includesHotWater: f.includesHotWater === 'yes' } : {}),
    ...(f.carrier.trim() ? { carrier: f.carrier.trim() } : {}),
    ...(year !== null ? { constructionYear: year } : {}),
    ...(f.efficiencyClass ? { efficiencyClass: f.efficiencyClass } : {}),
    ...(f.issuedOn ? { issuedOn: f.issuedOn } : {}),
    ...(f.validUntil ? { validUntil: f.validUntil } : {}),
    ...(f.buildingType ? { buildingType: f.buildingType } : {}),
    ...(f.edition ? { edition: f.edition } : {}),
    ...(heat !== null ? { heatValue: heat } : {}),
    ...(power !== null ? { powerValue: power } : {}),
  };
}

export function toForm(p: PropertyDto | null): PropertyFormValues {
  return {
    kind: p?.kind ?? 'single',
    title: p?.title ?? '',
    street: p?.street ?? '',
    houseNumber: p?.houseNumber ?? '',
    postalCode: p?.postalCode ?? '',
    city: p?.city ?? '',
    price: numText(p?.price),
    area: numText(p?.area),
    rooms: numText(p?.rooms),
    description: p?.description ?? '',
    commissionNotice: p?.commissionNotice ?? '',
    links: p?.links.map((l) => ({ ...l })) ?? [],
    energy: energyForm(p?.energy),
    units:
      p?.units.map((u) => ({
        id: u.id,
        number: u.number,
        floor: u.floor ?? '',
        area: numText(u.area),
        rooms: numText(u.rooms),
        price: numText(u.price),
        status: u.status,
        title: u.title ?? '',
        teaser: u.teaser ?? '',
      })) ?? [],
  };
}

/** the save request for the form: a form with units is a project, blank links are dropped */
export function toSaveInput(
  form: PropertyFormValues,
  current: PropertyDto | null,
): IpcArgs<'properties.save'> {
  return {
    ...(current ? { id: current.id, externalId: current.externalId } : {}),
    kind: form.units.length > 0 ? 'project' : form.kind,
    title: form.title,
    street: form.street,
    houseNumber: form.houseNumber,
    postalCode: form.postalCode,
    city: form.city,
    price: textNum(form.price),
    area: textNum(form.area),
    rooms: textNum(form.rooms),
    description: form.description,
    commissionNotice: form.commissionNotice.trim() === '' ? null : form.commissionNotice,
    links: form.links.filter((l) => l.url.trim() !== ''),
    energy: energyInput(form.energy),
    units: form.units.map((u, i) => {
      const area = textNum(u.area);
      const rooms = textNum(u.rooms);
      const price = textNum(u.price);
      return {
        id: u.id || `u${i + 1}`,
        number: u.number || `WE ${i + 1}`,
        status: u.status,
        ...(u.floor ? { floor: u.floor } : {}),
        ...(area ? { area } : {}),
        ...(rooms ? { rooms } : {}),
        ...(price !== null ? { price } : {}),
        ...(u.title.trim() ? { title: u.title.trim() } : {}),
        ...(u.teaser.trim() ? { teaser: u.teaser.trim() } : {}),
      };
    }),
  };
}
