import type { OfferUnit } from './api';

const EUR = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const NUM = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });

/** „58,4–118,2 m²“, or one figure when all are equal */
const span = (values: number[], unit: string) => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${NUM.format(lo)}${unit}` : `${NUM.format(lo)}–${NUM.format(hi)}${unit}`;
};

/**
 * A project's key facts as ranges over its units, never one flat's figures as the project's:
 * „ab 289.000 €“ (over the units still for sale), „58,4–118,2 m²“, „2–4 Zimmer“.
 * German label/value pairs for the landing page and the offer mail.
 */
export function projectFacts(units: OfferUnit[]): [string, string][] {
  const out: [string, string][] = [];
  const forSale = units.filter((u) => u.status !== 'sold');
  const free = units.filter((u) => u.status === 'available');
  out.push([
    'Einheiten',
    `${units.length} ${units.length === 1 ? 'Einheit' : 'Einheiten'}, davon ${free.length} frei`,
  ]);
  const prices = (forSale.length > 0 ? forSale : units).flatMap((u) =>
    u.price !== undefined ? [u.price] : [],
  );
  if (prices.length > 0) out.push(['Kaufpreise', `ab ${EUR.format(Math.min(...prices))}`]);
  const areas = units.flatMap((u) => (u.area !== undefined ? [u.area] : []));
  if (areas.length > 0) out.push(['Wohnflächen', span(areas, ' m²')]);
  const rooms = units.flatMap((u) => (u.rooms !== undefined ? [u.rooms] : []));
  if (rooms.length > 0) out.push(['Zimmer', span(rooms, '')]);
  return out;
}
