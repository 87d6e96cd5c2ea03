import type { OfferUnit } from './api';
import { prospectFormats, prospectTexts, type ProspectLanguage } from './i18n/prospect';

/**
 * A project's key facts as ranges over its units, never one flat's figures as the project's:
 * „ab 289.000 €“ (over the units still for sale), „58,4–118,2 m²“, „2–4 Zimmer“.
 * Label/value pairs for the landing page and the offer mail, in the prospect's language.
 */
export function projectFacts(units: OfferUnit[], lang: ProspectLanguage = 'de'): [string, string][] {
  const t = prospectTexts(lang).project;
  const { eur, num } = prospectFormats(lang);
  // one figure when all are equal
  const span = (values: number[], unit: string) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo === hi ? `${num.format(lo)}${unit}` : `${num.format(lo)}–${num.format(hi)}${unit}`;
  };
  const out: [string, string][] = [];
  const forSale = units.filter((u) => u.status !== 'sold');
  const free = units.filter((u) => u.status === 'available');
  out.push([t.units, t.unitCount(units.length, free.length)]);
  const prices = (forSale.length > 0 ? forSale : units).flatMap((u) =>
    u.price !== undefined ? [u.price] : [],
  );
  if (prices.length > 0) out.push([t.prices, t.priceFrom(eur.format(Math.min(...prices)))]);
  const areas = units.flatMap((u) => (u.area !== undefined ? [u.area] : []));
  if (areas.length > 0) out.push([t.areas, span(areas, ' m²')]);
  const rooms = units.flatMap((u) => (u.rooms !== undefined ? [u.rooms] : []));
  if (rooms.length > 0) out.push([t.rooms, span(rooms, '')]);
  return out;
}
