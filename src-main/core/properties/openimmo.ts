import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import type { OfferUnit } from '../../../src-shared/api';
import type { PropertyFileRole } from '../../../src-shared/ipc';
import { msg, type Message } from '../../../src-shared/messages';
import { err, ok, type Result } from '../../../src-shared/result';
import type { PropertyData } from './store';

/**
 * OpenImmo 1.2.x (the exchange format of German real-estate software) → our properties.
 *
 * One <immobilie> is one property. A Neubauprojekt arrives as several <immobilie> sharing a
 * <verwaltung_techn><gruppen_kennung>: the one the others name in <master> (else the first) is
 * the project, the others become its units (Wohnungsnummer, Etage, Fläche, Zimmer, Kaufpreis,
 * <zustand_angaben><verkaufstatus stand>).
 *
 * Hostile input: a DOCTYPE is refused outright (no entity can be declared, so none can expand),
 * only the five XML entities and character references are decoded, and size and counts are capped.
 */
export const OPENIMMO_MAX_BYTES = 10 * 1024 * 1024;
const MAX_IMMOBILIEN = 500;
const MAX_ANHAENGE = 200;

/** a property or attachment left out, and where in the document */
export interface ImportWarning {
  path: string;
  message: Message;
}

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

type Node = Record<string, unknown>;
type Unit = z.output<typeof OfferUnit>;

const ARRAYS = new Set(['anbieter', 'immobilie', 'anhang']);

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
const child = (n: unknown, name: string): Node | undefined => {
  if (!isNode(n)) return undefined;
  const v = n[name];
  if (Array.isArray(v)) return isNode(v[0]) ? v[0] : undefined;
  return isNode(v) ? v : typeof v === 'string' ? { '#text': v } : undefined;
};
const list = (n: unknown, name: string): Node[] => {
  if (!isNode(n)) return [];
  const v = n[name];
  const arr = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return arr.map((x) => (isNode(x) ? x : typeof x === 'string' ? { '#text': x } : {}));
};
/** the element's text (decoded, whitespace collapsed per line) or '' */
function text(n: unknown, ...path: string[]): string {
  let cur: unknown = n;
  for (const p of path) cur = child(cur, p);
  if (typeof cur === 'string') return decode(cur).trim();
  if (!isNode(cur)) return '';
  const t = cur['#text'];
  return typeof t === 'string' ? decode(t).trim() : typeof t === 'number' ? String(t) : '';
}
function attr(n: unknown, name: string): string {
  if (!isNode(n)) return '';
  const v = n[`@_${name}`];
  return typeof v === 'string' ? decode(v).trim() : '';
}

/** „349000“, „349000.00“, „78,5“, „1.234,56“ → number; '' → null */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/\s|€|EUR|m²|qm/gi, '');
  if (s === '') return null;
  let norm = s;
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) norm = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d+$/.test(s)) norm = s.replace(',', '.');
  const n = Number(norm);
  return Number.isFinite(n) && n >= 0 ? n : null;
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

const HTTP = /^https?:\/\/[^\s]+$/i;

interface Parsed {
  path: string;
  externalId: string;
  group: string;
  master: string;
  node: Node;
}

function readProperty(p: Parsed, warnings: ImportWarning[]): Result<ImportedProperty, ImportError> {
  const n = p.node;
  const title = text(n, 'freitexte', 'objekttitel');
  if (title === '') {
    return err({
      code: 'openimmo_invalid',
      message: msg('openimmoNoTitle', { path: `${p.path}/freitexte/objekttitel` }),
      path: `${p.path}/freitexte/objekttitel`,
    });
  }
  const descParts = [
    text(n, 'freitexte', 'dreizeiler'),
    text(n, 'freitexte', 'objektbeschreibung'),
    text(n, 'freitexte', 'lage') ? `Lage\n${text(n, 'freitexte', 'lage')}` : '',
    text(n, 'freitexte', 'ausstatt_beschr') ? `Ausstattung\n${text(n, 'freitexte', 'ausstatt_beschr')}` : '',
    text(n, 'freitexte', 'sonstige_angaben'),
  ].filter((s) => s !== '');
  const description = descParts.join('\n\n').slice(0, 20_000);

  const links: PropertyData['links'] = [];
  const attachments: ImportedAttachment[] = [];
  const anhaenge = list(child(n, 'anhaenge'), 'anhang');
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
    const gruppe = attr(a, 'gruppe');
    const location = attr(a, 'location').toUpperCase();
    const titleA = text(a, 'anhangtitel');
    const pfad = text(a, 'daten', 'pfad');
    const inline = text(a, 'daten', 'anhanginhalt').replace(/\s+/g, '');
    const role = roleFor(gruppe, titleA, pfad);
    if (role === null) return;
    if (role === 'link' || location === 'REMOTE') {
      if (HTTP.test(pfad) && links.length < 20)
        links.push({ label: (titleA || 'Link').slice(0, 200), url: pfad });
      else warnings.push({ path: apath, message: msg('openimmoLinkSkipped') });
      return;
    }
    const base = pfad.split(/[/\\]/).pop() ?? '';
    const format = text(a, 'format').toLowerCase();
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
    else warnings.push({ path: apath, message: msg('openimmoAttachmentNoFile') });
  });

  const courtage = text(n, 'preise', 'aussen_courtage');
  const data: PropertyData = {
    kind: 'single',
    externalId: p.externalId === '' ? null : p.externalId.slice(0, 100),
    title: title.slice(0, 200),
    street: text(n, 'geo', 'strasse').slice(0, 200),
    houseNumber: text(n, 'geo', 'hausnummer').slice(0, 20),
    postalCode: text(n, 'geo', 'plz').slice(0, 10),
    city: text(n, 'geo', 'ort').slice(0, 100),
    price: parseNumber(text(n, 'preise', 'kaufpreis')),
    area: parseNumber(text(n, 'flaechen', 'wohnflaeche')),
    rooms: parseNumber(text(n, 'flaechen', 'anzahl_zimmer')),
    description,
    links,
    units: [],
    commissionNotice: courtage ? `Käuferprovision: ${courtage}`.slice(0, 5000) : null,
  };
  if (data.area === 0) data.area = null;
  if (data.rooms === 0) data.rooms = null;
  return ok({ data, attachments });
}

function unitOf(p: Parsed, index: number): Unit {
  const n = p.node;
  const number =
    text(n, 'geo', 'wohnungsnr') || text(n, 'freitexte', 'objekttitel') || `Einheit ${index + 1}`;
  const stand =
    attr(child(n, 'zustand_angaben'), 'stand') ||
    attr(child(child(n, 'zustand_angaben'), 'verkaufstatus'), 'stand');
  const status: Unit['status'] =
    stand.toUpperCase() === 'VERKAUFT'
      ? 'sold'
      : stand.toUpperCase() === 'RESERVIERT'
        ? 'reserved'
        : 'available';
  const area = parseNumber(text(n, 'flaechen', 'wohnflaeche'));
  const rooms = parseNumber(text(n, 'flaechen', 'anzahl_zimmer'));
  const price = parseNumber(text(n, 'preise', 'kaufpreis'));
  const floor = floorLabel(text(n, 'geo', 'etage'));
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
  };
}

/** Parses an OpenImmo document; every failure is a value naming the element path. */
export function parseOpenImmo(
  xml: string,
): Result<{ properties: ImportedProperty[]; warnings: ImportWarning[] }, ImportError> {
  const fail = (message: Message, path: string, detail?: string): Result<never, ImportError> =>
    err({ code: 'openimmo_invalid', message, path, ...(detail ? { detail } : {}) });
  if (Buffer.byteLength(xml, 'utf8') > OPENIMMO_MAX_BYTES) return fail(msg('openimmoTooLarge'), '/');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fail(msg('openimmoDoctype'), '/');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col } = valid.err;
    return fail(msg('openimmoInvalidXmlAt', { line, col }), `Zeile ${line}, Spalte ${col}`, valid.err.msg);
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
      isArray: (name) => ARRAYS.has(name),
    }).parse(xml);
  } catch (e) {
    return fail(msg('openimmoInvalidXml', { path: '/' }), '/', e instanceof Error ? e.message : String(e));
  }
  const root = child(doc, 'openimmo');
  if (!root) return fail(msg('openimmoNotOpenimmo'), '/openimmo');
  const version = attr(child(root, 'uebertragung'), 'version');
  const warnings: ImportWarning[] = [];
  if (version !== '' && !/^1\.2\.\d+$/.test(version))
    warnings.push({ path: '/openimmo/uebertragung', message: msg('openimmoVersion', { version }) });

  const entries: Parsed[] = [];
  const anbieter = list(root, 'anbieter');
  if (anbieter.length === 0) return fail(msg('openimmoNoProvider'), '/openimmo/anbieter');
  for (const [ai, a] of anbieter.entries()) {
    for (const [ii, im] of list(a, 'immobilie').entries()) {
      const path = `/openimmo/anbieter[${ai + 1}]/immobilie[${ii + 1}]`;
      const vt = child(im, 'verwaltung_techn');
      if (attr(child(vt, 'aktion'), 'aktionart').toUpperCase() === 'DELETE') {
        warnings.push({ path, message: msg('openimmoDeleteSkipped') });
        continue;
      }
      entries.push({
        path,
        node: im,
        externalId: text(vt, 'objektnr_extern'),
        group: text(vt, 'gruppen_kennung'),
        master: text(vt, 'master'),
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
      const r = readProperty(item, warnings);
      if (!r.ok) return r;
      out.push(r.value);
      continue;
    }
    const members = groups.get(item) ?? [];
    const named = new Set(members.map((m) => m.master).filter((m) => m !== ''));
    const master = members.find((m) => m.externalId !== '' && named.has(m.externalId)) ?? members[0];
    if (!master) continue;
    const r = readProperty(master, warnings);
    if (!r.ok) return r;
    const project = r.value;
    const units = members.filter((m) => m !== master);
    if (units.length > 0) {
      project.data.kind = 'project';
      project.data.units = units.map((u, i) => unitOf(u, i));
      const ids = new Set<string>();
      for (const u of project.data.units) {
        let id = u.id;
        for (let k = 2; ids.has(id); k++) id = `${u.id.slice(0, 58)}-${k}`;
        u.id = id;
        ids.add(id);
      }
      // the units' own floor plans and documents belong to the project's downloads
      for (const u of units) {
        const ur = readProperty(u, warnings);
        if (!ur.ok) return ur;
        project.attachments.push(
          ...ur.value.attachments.filter(
            (a) => a.role !== 'expose' || !project.attachments.some((x) => x.role === 'expose'),
          ),
        );
      }
    }
    if (project.data.externalId === null) project.data.externalId = item.slice(0, 100);
    out.push(project);
  }
  return ok({ properties: out, warnings });
}
