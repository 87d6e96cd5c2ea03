import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import type { OfferUnit } from '../../../src-shared/api';
import { EFFICIENCY_CLASSES, EnergyCertificate, energyMissing } from '../../../src-shared/energy';
import type { ImportNote, PropertyFileRole } from '../../../src-shared/ipc';
import { msg, type Message } from '../../../src-shared/messages';
import { err, ok, type Result } from '../../../src-shared/result';
import type { PropertyData } from './store';
import { xmlReasonMessage } from './xml-errors';
import { ENERGY_CARRIERS, ENERGY_ITEMS } from '../../../src-shared/i18n/energy-terms';
import { PROPERTY_IMPORT_DE } from '../../../src-shared/i18n/prospect/property-de';

/**
 * OpenImmo 1.2.x (the exchange format of German real-estate software) → our properties.
 *
 * One <immobilie> is one property. A Neubauprojekt arrives as several <immobilie> sharing a
 * <verwaltung_techn><gruppen_kennung>: the one the others name in <master> (else the first) is
 * the project, the others become its units (Wohnungsnummer, Etage, Fläche, Zimmer, Kaufpreis,
 * <zustand_angaben><verkaufstatus stand>, their own objekttitel and dreizeiler).
 *
 * Nothing is dropped silently: every element and attribute the reader looks at is marked, and
 * whatever is left unmarked is listed in the import report (`notImported`).
 *
 * Hostile input: a DOCTYPE is refused outright (no entity can be declared, so none can expand),
 * only the five XML entities and character references are decoded, and size and counts are capped.
 */
export const OPENIMMO_MAX_BYTES = 10 * 1024 * 1024;
const MAX_IMMOBILIEN = 500;
const MAX_ANHAENGE = 200;
const DESCRIPTION_MAX = 20_000;

export interface ImportError {
  code: 'openimmo_invalid';
  message: Message;
  /** where in the document, e.g. `openimmo/anbieter[1]/immobilie[3]/freitexte/objekttitel` */
  path: string;
  detail?: string;
}

export interface ImportedAttachment {
  role: PropertyFileRole;
  /** shown name, e.g. „Grundriss EG.pdf“ */
  name: string;
  /** EXTERN: the file next to the XML, by its path in <pfad>; INTERN: base64 in <anhanginhalt> */
  source: { kind: 'file'; path: string } | { kind: 'inline'; base64: string };
  path: string;
}

export interface ImportedProperty {
  data: PropertyData;
  attachments: ImportedAttachment[];
}

export interface NotImported {
  /** generic element path, e.g. `openimmo/anbieter/immobilie/geo/bundesland`, attributes as `…@name` */
  path: string;
  count: number;
  /** the first value seen (shortened) */
  example: string;
}

export interface ParsedOpenImmo {
  properties: ImportedProperty[];
  warnings: ImportNote[];
  notImported: NotImported[];
}

type Node = Record<string, unknown>;
type Unit = z.output<typeof OfferUnit>;

const ARRAYS = new Set(['anbieter', 'immobilie', 'anhang', 'energiepass']);

const ENTITY = /&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g;
function decode(s: string): string {
  return s.replace(ENTITY, (m, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : m;
  });
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read access to the parsed document that remembers what was read: every key looked up is
 * marked on its node, so the report can list the rest.
 */
class Reader {
  private readonly seen = new WeakMap<object, Set<string>>();

  mark(n: unknown, key: string): void {
    if (!isNode(n)) return;
    let s = this.seen.get(n);
    if (!s) this.seen.set(n, (s = new Set()));
    s.add(key);
  }
  isMarked(n: object, key: string): boolean {
    return this.seen.get(n)?.has(key) ?? false;
  }
  /** the whole subtree counts as handled (a property skipped with its own warning) */
  markAll(n: unknown): void {
    if (Array.isArray(n)) {
      for (const x of n) this.markAll(x);
      return;
    }
    if (!isNode(n)) return;
    for (const [k, v] of Object.entries(n)) {
      this.mark(n, k);
      this.markAll(v);
    }
  }
  child(n: unknown, name: string): Node | undefined {
    if (!isNode(n)) return undefined;
    const v = n[name];
    if (v === undefined) return undefined;
    this.mark(n, name);
    const first: unknown = Array.isArray(v) ? v[0] : v;
    return isNode(first) ? first : typeof first === 'string' ? { '#text': first } : undefined;
  }
  list(n: unknown, name: string): Node[] {
    if (!isNode(n)) return [];
    const v = n[name];
    if (v === undefined) return [];
    this.mark(n, name);
    const arr: unknown[] = Array.isArray(v) ? v : [v];
    return arr.map((x) => (isNode(x) ? x : typeof x === 'string' ? { '#text': x } : {}));
  }
  /** the element's text (decoded, trimmed) or '' */
  text(n: unknown, ...path: string[]): string {
    let cur: unknown = n;
    for (const p of path) cur = this.child(cur, p);
    if (!isNode(cur)) return '';
    const t = cur['#text'];
    this.mark(cur, '#text');
    return typeof t === 'string' ? decode(t).trim() : typeof t === 'number' ? String(t) : '';
  }
  attr(n: unknown, name: string): string {
    if (!isNode(n)) return '';
    const v = n[`@_${name}`];
    if (v === undefined) return '';
    this.mark(n, `@_${name}`);
    return typeof v === 'string' ? decode(v).trim() : '';
  }
  /** marks an element's text and attributes as handled without reading them */
  consume(n: unknown, ...path: string[]): void {
    let cur: unknown = n;
    for (const p of path) cur = this.child(cur, p);
    if (isNode(cur))
      for (const k of Object.keys(cur)) if (k === '#text' || k.startsWith('@_')) this.mark(cur, k);
  }

  /** every element text and attribute below `n` that nothing read, by generic path */
  unread(n: unknown, path: string, out: Map<string, NotImported>): void {
    if (!isNode(n)) return;
    const add = (p: string, value: unknown) => {
      const cur = out.get(p);
      if (cur) cur.count++;
      else {
        const ex = typeof value === 'string' ? decode(value).trim().replace(/\s+/g, ' ') : '';
        out.set(p, { path: p, count: 1, example: ex.length > 80 ? `${ex.slice(0, 79)}…` : ex });
      }
    };
    for (const [k, v] of Object.entries(n)) {
      const marked = this.isMarked(n, k);
      if (k === '#text') {
        if (!marked) add(path, v);
      } else if (k.startsWith('@_')) {
        if (!marked) add(`${path}@${k.slice(2)}`, v);
      } else {
        for (const x of Array.isArray(v) ? v : [v]) {
          const cp = `${path}/${k}`;
          if (isNode(x)) {
            if (Object.keys(x).length === 0) {
              if (!marked) add(cp, '');
            } else this.unread(x, cp, out);
          } else if (!marked) add(cp, typeof x === 'number' ? String(x) : x);
        }
      }
    }
  }
}

/** „349000“, „349000.00“, „78,5“, „1.234,56“ → number; '' → null */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/\s|€|EUR|m²|qm|kWh\/\(?m²\s*\*?a\)?/gi, '');
  if (s === '') return null;
  let norm = s;
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) norm = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d+$/.test(s)) norm = s.replace(',', '.');
  const n = Number(norm);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** „2026-03-01“, „01.03.2026“, „2026-03-01T00:00:00“ → „2026-03-01“ */
function parseDate(raw: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
  if (de) return `${de[3]}-${de[2]?.padStart(2, '0')}-${de[1]?.padStart(2, '0')}`;
  return null;
}

function floorLabel(raw: string): string | undefined {
  if (raw === '') return undefined;
  const n = Number(raw.replace(',', '.'));
  if (!Number.isInteger(n)) return raw.slice(0, 50);
  if (n === 0) return 'EG';
  if (n < 0) return `${-n}. UG`;
  return `${n}. OG`;
}

const IMAGE_GROUPS = new Set([
  'TITELBILD',
  'BILD',
  'INNENANSICHTEN',
  'AUSSENANSICHTEN',
  'PANORAMA',
  'KARTEN_LAGEPLAN',
]);
const LINK_GROUPS = new Set(['LINKS', 'FILMLINK', 'ANBOBJURL']);

function roleFor(gruppe: string, title: string, file: string): PropertyFileRole | 'link' | null {
  const g = gruppe.toUpperCase();
  if (LINK_GROUPS.has(g)) return 'link';
  if (g === 'GRUNDRISS') return 'floor_plan';
  if (g === 'EXPOSE' || /expos[eé]/i.test(`${title} ${file}`)) return 'expose';
  if (IMAGE_GROUPS.has(g)) return 'image';
  if (g === 'DOKUMENTE' || g === '') return /\.(jpe?g|png|webp)$/i.test(file) ? 'image' : 'document';
  return null; // ANBIETERLOGO, QRCODE, FILM, EPASS_SKALA: nothing the landing page shows
}

/** OpenImmo's carrier codes → the German word stored (prospect-facing; the agent's English view translates it) */
const carrierWord = (raw: string) => ENERGY_CARRIERS[raw.toUpperCase().replace(/-/g, '_')]?.de ?? raw;

const HTTP = /^https?:\/\/[^\s]+$/i;

interface Parsed {
  path: string;
  externalId: string;
  /** openimmo_obid: <master> may name the master by it instead of objektnr_extern */
  obid: string;
  group: string;
  master: string;
  node: Node;
}

const note = (key: string, path: string, params: ImportNote['params'] = {}): ImportNote => ({
  key,
  path,
  params,
});

function readAttachments(
  r: Reader,
  p: Parsed,
  notes: ImportNote[],
): Result<{ attachments: ImportedAttachment[]; links: PropertyData['links'] }, ImportError> {
  const links: PropertyData['links'] = [];
  const attachments: ImportedAttachment[] = [];
  const anhaenge = r.list(r.child(p.node, 'anhaenge'), 'anhang');
  if (anhaenge.length > MAX_ANHAENGE) {
    return err({
      code: 'openimmo_invalid',
      message: msg('openimmoTooManyAttachments', {
        count: anhaenge.length,
        max: MAX_ANHAENGE,
        path: `${p.path}/anhaenge`,
      }),
      path: `${p.path}/anhaenge`,
    });
  }
  anhaenge.forEach((a, i) => {
    const apath = `${p.path}/anhaenge/anhang[${i + 1}]`;
    const gruppe = r.attr(a, 'gruppe');
    const location = r.attr(a, 'location').toUpperCase();
    const titleA = r.text(a, 'anhangtitel');
    const pfad = r.text(a, 'daten', 'pfad');
    const inline = r.text(a, 'daten', 'anhanginhalt').replace(/\s+/g, '');
    const role = roleFor(gruppe, titleA, pfad);
    if (role === null) {
      r.markAll(a);
      notes.push(note('attachment_group_skipped', apath, { group: gruppe, name: titleA || pfad }));
      return;
    }
    if (role === 'link' || location === 'REMOTE') {
      if (!HTTP.test(pfad)) notes.push(note('link_invalid', apath, { url: pfad.slice(0, 200) }));
      else if (links.length >= 20) notes.push(note('link_limit', apath, { url: pfad.slice(0, 200) }));
      else links.push({ label: (titleA || 'Link').slice(0, 200), url: pfad });
      return;
    }
    const base = pfad.split(/[/\\]/).pop() ?? '';
    const format = r.text(a, 'format').toLowerCase();
    const ext = base.includes('.')
      ? ''
      : format.includes('pdf')
        ? '.pdf'
        : format.includes('png')
          ? '.png'
          : '.jpg';
    // the agent's title names the file for the prospect („Grundriss EG“), keeping the extension
    const extOf = (base.match(/\.[A-Za-z0-9]{1,5}$/)?.[0] ?? ext).toLowerCase();
    const name = titleA
      ? titleA.toLowerCase().endsWith(extOf)
        ? titleA
        : `${titleA}${extOf}`
      : base || `Anhang ${i + 1}${ext}`;
    if (inline !== '')
      attachments.push({ role, name, source: { kind: 'inline', base64: inline }, path: apath });
    else if (pfad !== '') attachments.push({ role, name, source: { kind: 'file', path: pfad }, path: apath });
    else notes.push(note('attachment_no_file', apath, { name }));
  });
  return ok({ attachments, links });
}

/** zustand_angaben/energiepass → EnergyCertificate (null when the document has none) */
function readEnergy(r: Reader, n: Node, path: string, notes: ImportNote[]): EnergyCertificate | null {
  const ep = r.child(r.child(n, 'zustand_angaben'), 'energiepass');
  if (!ep) return null;
  const epath = `${path}/zustand_angaben/energiepass`;
  const jahrgang = r.text(ep, 'jahrgang').toLowerCase();
  if (jahrgang === 'ohne' || jahrgang === 'bei_besichtigung') return { status: 'pending' };
  if (jahrgang === 'nicht_noetig') return { status: 'not_required' };
  const epart = r.text(ep, 'epart').toUpperCase();
  const type = epart === 'BEDARF' ? 'demand' : epart === 'VERBRAUCH' ? 'consumption' : undefined;
  const num = (el: string) => {
    const raw = r.text(ep, el);
    if (raw === '') return undefined;
    const v = parseNumber(raw);
    if (v === null) {
      notes.push(note('energy_value_invalid', `${epath}/${el}`, { value: raw.slice(0, 50) }));
      return undefined;
    }
    return v;
  };
  // the value that matches the type; the other one is only a fallback when the type is absent
  let value = type === 'consumption' ? num('energieverbrauchkennwert') : num('endenergiebedarf');
  if (value === undefined && type === undefined) value = num('energieverbrauchkennwert');
  const hw = r.text(ep, 'mitwarmwasser').toLowerCase();
  const klasse = r
    .text(ep, 'wertklasse')
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/_?PLUS$/, '+');
  const cls = (EFFICIENCY_CLASSES as readonly string[]).includes(klasse) ? klasse : undefined;
  if (klasse !== '' && !cls)
    notes.push(note('energy_value_invalid', `${epath}/wertklasse`, { value: klasse }));
  const baujahrRaw = r.text(ep, 'baujahr');
  const baujahr = /^\d{4}$/.test(baujahrRaw) ? Number(baujahrRaw) : undefined;
  if (baujahrRaw !== '' && baujahr === undefined)
    notes.push(note('energy_value_invalid', `${epath}/baujahr`, { value: baujahrRaw.slice(0, 50) }));
  const dateOf = (el: string) => {
    const raw = r.text(ep, el);
    if (raw === '') return undefined;
    const d = parseDate(raw);
    if (!d) notes.push(note('energy_value_invalid', `${epath}/${el}`, { value: raw.slice(0, 50) }));
    return d ?? undefined;
  };
  let carrier = r.text(ep, 'primaerenergietraeger');
  if (carrier === '') {
    // older exports name the heating fuel only in ausstattung/befeuerung
    const bef = r.child(r.child(n, 'ausstattung'), 'befeuerung');
    if (bef)
      carrier = Object.keys(bef)
        .filter((k) => k.startsWith('@_') && r.attr(bef, k.slice(2)).toLowerCase() === 'true')
        .map((k) => carrierWord(k.slice(2)))
        .join(', ');
  } else carrier = carrierWord(carrier);
  const gebaeudeart = r.text(ep, 'gebaeudeart').toLowerCase();
  const issuedOn = dateOf('ausstelldatum');
  const validUntil = dateOf('gueltig_bis');
  const heatValue = num('waermewert');
  const powerValue = num('stromwert');
  const candidate: EnergyCertificate = {
    status: 'available',
    ...(type ? { certificateType: type } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(hw === 'true' || hw === 'false' ? { includesHotWater: hw === 'true' } : {}),
    ...(carrier ? { carrier: carrier.slice(0, 100) } : {}),
    ...(baujahr !== undefined ? { constructionYear: baujahr } : {}),
    ...(cls ? { efficiencyClass: cls as EnergyCertificate['efficiencyClass'] } : {}),
    ...(issuedOn ? { issuedOn } : {}),
    ...(validUntil ? { validUntil } : {}),
    ...(jahrgang ? { edition: jahrgang.slice(0, 20) } : {}),
    ...(gebaeudeart === 'wohn'
      ? { buildingType: 'residential' as const }
      : gebaeudeart === 'nichtwohn'
        ? { buildingType: 'non_residential' as const }
        : {}),
    ...(heatValue !== undefined ? { heatValue } : {}),
    ...(powerValue !== undefined ? { powerValue } : {}),
  };
  const parsed = EnergyCertificate.safeParse(candidate);
  if (!parsed.success) {
    notes.push(
      note('energy_value_invalid', epath, {
        value: parsed.error.issues.map((i) => i.path.join('.')).join(', '),
      }),
    );
    return null;
  }
  const missing = energyMissing(parsed.data);
  // the words in both languages, as the XML reasons carry `reasonRaw` beside `reason`
  if (missing.length > 0)
    notes.push(
      note('energy_incomplete', epath, {
        missing: missing.map((m) => ENERGY_ITEMS.de[m]).join(', '),
        missingEn: missing.map((m) => ENERGY_ITEMS.en[m]).join(', '),
      }),
    );
  return parsed.data;
}

function commissionOf(r: Reader, n: Node): string | null {
  const preise = r.child(n, 'preise');
  const courtage = r.text(preise, 'aussen_courtage');
  const mwst = r.attr(r.child(preise, 'aussen_courtage'), 'mit_mwst').toLowerCase();
  const hinweis = r.text(preise, 'courtage_hinweis');
  const parts = [
    courtage ? PROPERTY_IMPORT_DE.buyerCommission(courtage, mwst === 'true' && !/mwst/i.test(courtage)) : '',
    hinweis,
  ].filter((s) => s !== '');
  return parts.length > 0 ? parts.join('\n\n').slice(0, 5000) : null;
}

function readProperty(r: Reader, p: Parsed, notes: ImportNote[]): Result<ImportedProperty, ImportError> {
  const n = p.node;
  const title = r.text(n, 'freitexte', 'objekttitel');
  if (title === '') {
    return err({
      code: 'openimmo_invalid',
      message: msg('openimmoNoTitle', { path: `${p.path}/freitexte/objekttitel` }),
      path: `${p.path}/freitexte/objekttitel`,
    });
  }
  const section = (el: string, heading: string) => {
    const t = r.text(n, 'freitexte', el);
    return t ? `${heading}\n${t}` : '';
  };
  const descParts = [
    r.text(n, 'freitexte', 'dreizeiler'),
    r.text(n, 'freitexte', 'objektbeschreibung'),
    section('lage', 'Lage'),
    section('ausstatt_beschr', 'Ausstattung'),
    r.text(n, 'freitexte', 'sonstige_angaben'),
  ].filter((s) => s !== '');
  const joined = descParts.join('\n\n');
  if (joined.length > DESCRIPTION_MAX)
    notes.push(
      note('description_truncated', `${p.path}/freitexte`, { length: joined.length, max: DESCRIPTION_MAX }),
    );
  const att = readAttachments(r, p, notes);
  if (!att.ok) return att;

  const geo = r.child(n, 'geo');
  const data: PropertyData = {
    kind: 'single',
    externalId: p.externalId === '' ? null : p.externalId.slice(0, 100),
    title: title.slice(0, 200),
    street: r.text(geo, 'strasse').slice(0, 200),
    houseNumber: r.text(geo, 'hausnummer').slice(0, 20),
    postalCode: r.text(geo, 'plz').slice(0, 10),
    city: r.text(geo, 'ort').slice(0, 100),
    price: parseNumber(r.text(n, 'preise', 'kaufpreis')),
    area: parseNumber(r.text(n, 'flaechen', 'wohnflaeche')),
    rooms: parseNumber(r.text(n, 'flaechen', 'anzahl_zimmer')),
    description: joined.slice(0, DESCRIPTION_MAX),
    links: att.value.links,
    units: [],
    commissionNotice: commissionOf(r, n),
    energy: readEnergy(r, n, p.path, notes),
  };
  if (data.area === 0) data.area = null;
  if (data.rooms === 0) data.rooms = null;
  return ok({ data, attachments: att.value.attachments });
}

function unitOf(r: Reader, p: Parsed, index: number): Unit {
  const n = p.node;
  const geo = r.child(n, 'geo');
  const title = r.text(n, 'freitexte', 'objekttitel');
  const teaser = r.text(n, 'freitexte', 'dreizeiler');
  const wohnungsnr = r.text(geo, 'wohnungsnr');
  const number = wohnungsnr || title || `Einheit ${index + 1}`;
  const zustand = r.child(n, 'zustand_angaben');
  const stand = r.attr(zustand, 'stand') || r.attr(r.child(zustand, 'verkaufstatus'), 'stand');
  const status: Unit['status'] =
    stand.toUpperCase() === 'VERKAUFT'
      ? 'sold'
      : stand.toUpperCase() === 'RESERVIERT'
        ? 'reserved'
        : 'available';
  const area = parseNumber(r.text(n, 'flaechen', 'wohnflaeche'));
  const rooms = parseNumber(r.text(n, 'flaechen', 'anzahl_zimmer'));
  const price = parseNumber(r.text(n, 'preise', 'kaufpreis'));
  const floor = floorLabel(r.text(geo, 'etage'));
  const idBase = (p.externalId || number)
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return {
    id: idBase === '' ? `u${index + 1}` : idBase,
    number: number.slice(0, 50),
    status,
    ...(floor ? { floor } : {}),
    ...(area && area > 0 ? { area } : {}),
    ...(rooms && rooms > 0 ? { rooms } : {}),
    ...(price !== null ? { price } : {}),
    ...(title && title !== number ? { title: title.slice(0, 200) } : {}),
    ...(teaser ? { teaser: teaser.slice(0, 2000) } : {}),
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** a unit repeating the project's address, commission or certificate adds nothing: count it as taken */
function absorbUnitDuplicates(r: Reader, u: Parsed, project: PropertyData, notes: ImportNote[]): void {
  const geo = r.child(u.node, 'geo');
  const same: [string, string][] = [
    ['strasse', project.street],
    ['hausnummer', project.houseNumber],
    ['plz', project.postalCode],
    ['ort', project.city],
  ];
  for (const [el, v] of same) {
    if (geo && isNode(geo) && geo[el] !== undefined) {
      const probe = new Reader();
      if (probe.text(geo, el) === v) r.consume(geo, el);
    }
  }
  const probe = new Reader();
  if (commissionOf(probe, u.node) === project.commissionNotice && project.commissionNotice !== null) {
    commissionOf(r, u.node);
  }
  const uNotes: ImportNote[] = [];
  const energy = readEnergy(new Reader(), u.node, u.path, uNotes);
  if (energy === null) return;
  if (project.energy === null) {
    project.energy = readEnergy(r, u.node, u.path, notes);
    notes.push(note('energy_from_unit', `${u.path}/zustand_angaben/energiepass`, {}));
  } else if (sameJson(energy, project.energy)) readEnergy(r, u.node, u.path, []);
  else notes.push(note('unit_energy_differs', `${u.path}/zustand_angaben/energiepass`, {}));
}

/** Parses an OpenImmo document; every failure is a value naming the element path. */
export function parseOpenImmo(xml: string): Result<ParsedOpenImmo, ImportError> {
  const fail = (message: Message, path: string, detail?: string): Result<never, ImportError> =>
    err({ code: 'openimmo_invalid', message, path, ...(detail ? { detail } : {}) });
  if (Buffer.byteLength(xml, 'utf8') > OPENIMMO_MAX_BYTES) return fail(msg('openimmoTooLarge'), '/');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fail(msg('openimmoDoctype'), '/');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    // the validator leaves out the column for an empty document
    const col = Number.isFinite(valid.err.col) ? valid.err.col : 1;
    return fail(
      xmlReasonMessage(valid.err.msg, valid.err.line, col),
      `line ${valid.err.line}, column ${col}`,
      valid.err.msg,
    );
  }
  let doc: unknown;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      processEntities: false,
      htmlEntities: false,
      trimValues: true,
      removeNSPrefix: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      isArray: (name) => ARRAYS.has(name),
    }).parse(xml);
  } catch (e) {
    return fail(msg('openimmoInvalidXml', { path: '/' }), '/', e instanceof Error ? e.message : String(e));
  }
  const r = new Reader();
  const root = r.child(doc, 'openimmo');
  if (!root) return fail(msg('openimmoNotOpenimmo'), '/openimmo');
  const version = r.attr(r.child(root, 'uebertragung'), 'version');
  const warnings: ImportNote[] = [];
  if (version !== '' && !/^1\.2\.\d+$/.test(version))
    warnings.push(note('version_unknown', '/openimmo/uebertragung', { version }));

  const entries: Parsed[] = [];
  const anbieter = r.list(root, 'anbieter');
  if (anbieter.length === 0) return fail(msg('openimmoNoProvider'), '/openimmo/anbieter');
  for (const [ai, a] of anbieter.entries()) {
    for (const [ii, im] of r.list(a, 'immobilie').entries()) {
      const path = `/openimmo/anbieter[${ai + 1}]/immobilie[${ii + 1}]`;
      const vt = r.child(im, 'verwaltung_techn');
      if (r.attr(r.child(vt, 'aktion'), 'aktionart').toUpperCase() === 'DELETE') {
        r.markAll(im);
        warnings.push(note('property_deleted', path, { id: r.text(vt, 'objektnr_extern') }));
        continue;
      }
      entries.push({
        path,
        node: im,
        externalId: r.text(vt, 'objektnr_extern'),
        obid: r.text(vt, 'openimmo_obid'),
        group: r.text(vt, 'gruppen_kennung'),
        master: r.text(vt, 'master'),
      });
    }
  }
  if (entries.length === 0) return fail(msg('openimmoNoProperty'), '/openimmo/anbieter/immobilie');
  if (entries.length > MAX_IMMOBILIEN)
    return fail(msg('openimmoTooMany', { count: entries.length, max: MAX_IMMOBILIEN }), '/openimmo/anbieter');

  // group by gruppen_kennung: one project with its units; entries without a group stand alone
  const groups = new Map<string, Parsed[]>();
  const out: ImportedProperty[] = [];
  const order: (Parsed | string)[] = [];
  for (const e of entries) {
    if (e.group === '') {
      order.push(e);
      continue;
    }
    if (!groups.has(e.group)) {
      groups.set(e.group, []);
      order.push(e.group);
    }
    groups.get(e.group)?.push(e);
  }
  for (const item of order) {
    if (typeof item !== 'string') {
      const res = readProperty(r, item, warnings);
      if (!res.ok) return res;
      out.push(res.value);
      continue;
    }
    const members = groups.get(item) ?? [];
    const named = new Set(members.map((m) => m.master).filter((m) => m !== ''));
    const master =
      members.find(
        (m) => (m.externalId !== '' && named.has(m.externalId)) || (m.obid !== '' && named.has(m.obid)),
      ) ?? members[0];
    if (!master) continue;
    const res = readProperty(r, master, warnings);
    if (!res.ok) return res;
    const project = res.value;
    const units = members.filter((m) => m !== master);
    if (units.length > 0) {
      project.data.kind = 'project';
      project.data.units = units.map((u, i) => unitOf(r, u, i));
      const ids = new Set<string>();
      for (const u of project.data.units) {
        let id = u.id;
        for (let k = 2; ids.has(id); k++) id = `${u.id.slice(0, 58)}-${k}`;
        u.id = id;
        ids.add(id);
      }
      // the units' own floor plans and documents belong to the project's downloads
      for (const u of units) {
        absorbUnitDuplicates(r, u, project.data, warnings);
        const ua = readAttachments(r, u, warnings);
        if (!ua.ok) return ua;
        for (const a of ua.value.attachments) {
          if (a.role === 'expose' && project.attachments.some((x) => x.role === 'expose'))
            warnings.push(note('expose_duplicate', a.path, { name: a.name }));
          else project.attachments.push(a);
        }
        for (const l of ua.value.links) {
          if (project.data.links.length < 20 && !project.data.links.some((x) => x.url === l.url))
            project.data.links.push(l);
        }
      }
    }
    if (project.data.externalId === null) project.data.externalId = item.slice(0, 100);
    out.push(project);
  }
  const unread = new Map<string, NotImported>();
  r.unread(doc, '', unread);
  // the properties' own data first, the transfer's technical header last
  const notImported = [...unread.values()]
    .map((u) => ({ ...u, path: u.path.replace(/^\//, '') }))
    .sort((a, b) => Number(!a.path.includes('/immobilie/')) - Number(!b.path.includes('/immobilie/')));
  return ok({ properties: out, warnings, notImported });
}
