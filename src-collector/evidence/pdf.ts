import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ChainRecord, EvidenceFile } from '../../src-shared/evidence/format';

/**
 * nachweis.pdf: the same records as nachweis.json, readable for a lawyer (German document text,
 * like the landing pages' prospect-facing content). The JSON is the evidence; this is its reading.
 */

const WINANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function safe(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WINANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\t' || ch === '\n' || ch === '\r') out += ' ';
    else out += '?';
  }
  return out;
}

/** advance widths per font and character at size 1: a 10,000-record file measures millions of words */
const widths = new WeakMap<PDFFont, Map<string, number>>();
function widthOf(font: PDFFont, s: string, size: number): number {
  let m = widths.get(font);
  if (!m) widths.set(font, (m = new Map()));
  let w = 0;
  for (const ch of s) {
    let cw = m.get(ch);
    if (cw === undefined) m.set(ch, (cw = font.widthOfTextAtSize(ch, 1)));
    w += cw;
  }
  return w * size;
}

const WINANSI_CODES: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};
/** the bytes of a `safe` string in WinAnsiEncoding (the standard fonts' encoding), as hex */
function winAnsiHex(s: string): string {
  const bytes = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (const ch of s) {
    const code = WINANSI_CODES[ch] ?? ch.codePointAt(0) ?? 0x3f;
    bytes[n++] = code <= 0xff ? code : 0x3f;
  }
  return bytes.toString('hex', 0, n);
}

export function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let cur = '';
  // the line's width is kept as words are added: measuring the whole line again for every word
  // was quadratic in the words of a paragraph
  let curWidth = 0;
  const space = widthOf(font, ' ', size);
  const fits = (s: string) => widthOf(font, s, size) <= maxWidth;
  for (let w of text.split(/\s+/).filter(Boolean)) {
    while (!fits(w)) {
      let cut = w.length - 1;
      while (cut > 1 && !fits(w.slice(0, cut))) cut--;
      if (cur) lines.push(cur);
      cur = '';
      curWidth = 0;
      lines.push(w.slice(0, cut));
      w = w.slice(cut);
    }
    const ww = widthOf(font, w, size);
    if (!cur) {
      cur = w;
      curWidth = ww;
    } else if (curWidth + space + ww <= maxWidth) {
      cur = `${cur} ${w}`;
      curWidth += space + ww;
    } else {
      lines.push(cur);
      cur = w;
      curWidth = ww;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

const berlin = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  dateStyle: 'medium',
  timeStyle: 'medium',
});
function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${berlin.format(d)} (Berlin) · ${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
}

const EVENT_TEXT: Record<string, string> = {
  'email.opened': 'E-Mail geöffnet',
  'email.link_clicked': 'Link in der E-Mail geöffnet',
  'landing.visited': 'Landing Page besucht',
  'landing.link_opened': 'Link auf der Landing Page geöffnet',
  'landing.document_downloaded': 'Dokument heruntergeladen',
  'landing.unit_liked': 'Einheit gemerkt',
  'landing.unit_unliked': 'Einheit nicht mehr gemerkt',
  'landing.expose_downloaded': 'Exposé heruntergeladen',
  'landing.cancellation_policy_opened': 'Widerrufsbelehrung geöffnet',
  'landing.legal_confirmed': 'Rechtliche Bestätigung abgegeben',
  'landing.confirmation_sent': 'Bestätigungs-E-Mail an den Interessenten gesendet',
  'consent.given': 'Einwilligung in das Tracking erteilt',
  'consent.withdrawn': 'Einwilligung in das Tracking widerrufen',
};
const VERDICT_TEXT: Record<string, string> = {
  human: 'Person',
  proxy: 'Person über Bild-Proxy',
  prefetch: 'automatischer Vorabruf',
  scanner: 'Sicherheitsscanner',
  preview: 'Linkvorschau',
  self: 'Makler selbst',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** One timeline entry's lines: what happened, then the details that prove it. */
function describe(r: ChainRecord): { title: string; details: string[] } {
  const d = r.data;
  switch (r.kind) {
    case 'message': {
      const rec = d.recipient as { email?: string; name?: string } | undefined;
      return {
        title: `E-Mail „${str(d.subject)}“ an ${rec?.name ? `${rec.name} <${str(rec.email)}>` : str(rec?.email)} versandt`,
        details: [
          `beim Collector registriert und über den Server des Maklers versandt; ${str(d.recipientCount)} Empfänger, ${d.sentIndividually ? 'einzeln' : 'gemeinsam'} versandt`,
        ],
      };
    }
    case 'offer': {
      const p = (d.property ?? {}) as Record<string, unknown>;
      const policy = p.cancellationPolicy as { version?: string; sha256?: string } | undefined;
      const files = (d.files ?? []) as { name?: string; sha256?: string; role?: string }[];
      return {
        title: `Angebot veröffentlicht: ${str(p.title)}`,
        details: [
          ...(policy ? [`Widerrufsbelehrung Fassung ${str(policy.version)}, SHA-256 ${str(policy.sha256)}`] : []),
          ...files.map((f) => `${f.role === 'expose' ? 'Exposé' : 'Dokument'} „${str(f.name)}“, SHA-256 ${str(f.sha256)}`),
        ],
      };
    }
    case 'consent':
      return {
        title: d.kind === 'withdrawn' ? 'Einwilligung in das Tracking widerrufen' : 'Einwilligung in das Tracking erteilt',
        details: [
          `Wortlaut: „${str(d.wording)}“`,
          `SHA-256 des Wortlauts: ${str(d.wordingSha256)} · Fassung ${str(d.wordingVersion)}`,
          `IP-Adresse: ${str(d.ip)} · Browser: ${str(d.userAgent)}`,
        ],
      };
    case 'legal_confirmation':
      return {
        title: `Bestätigung „${str(d.confirmation)}“ abgegeben`,
        details: [
          `Wortlaut: „${str(d.wording)}“`,
          `SHA-256 des Wortlauts: ${str(d.wordingSha256)}`,
          `IP-Adresse: ${str(d.ip)} · Browser: ${str(d.userAgent)}`,
          `Fassung der Rechtstexte: ${str(d.policyVersion)}`,
        ],
      };
    case 'event': {
      const detail = (d.detail ?? {}) as Record<string, unknown>;
      const client = (d.client ?? {}) as { verdict?: string; reasons?: string[]; correctedFrom?: string };
      const details: string[] = [];
      const verdict = VERDICT_TEXT[str(client.verdict)] ?? str(client.verdict);
      details.push(
        `Einstufung: ${verdict}${client.correctedFrom ? ` (vom Makler korrigiert, vorher ${VERDICT_TEXT[client.correctedFrom] ?? client.correctedFrom})` : ''}${client.reasons?.length ? ` – Gründe: ${client.reasons.join(', ')}` : ''}`,
      );
      if (detail.document) details.push(`Dokument „${str(detail.document)}“${detail.sha256 ? `, SHA-256 ${str(detail.sha256)}` : ''}`);
      if (detail.url) details.push(`Link: ${str(detail.url)}`);
      if (detail.wording) details.push(`Wortlaut: „${str(detail.wording)}“ (SHA-256 ${str(detail.wordingSha256)})`);
      return { title: EVENT_TEXT[str(d.type)] ?? str(d.type), details };
    }
  }
}

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 50;

export async function renderEvidencePdf(file: EvidenceFile, records: ChainRecord[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const created = new Date(file.exportedAt);
  doc.setTitle(safe(`Nachweisakte ${file.email}`));
  doc.setCreator('Blitz');
  doc.setProducer('Blitz (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const width = A4.w - 2 * MARGIN;
  // Text goes into each page's content stream as raw operators: pdf-lib's drawText costs about
  // 0.2 ms a line, and a 10,000-record timeline has some 50,000 lines.
  const pages: { page: PDFPage; ops: string[] }[] = [];
  let cur!: { page: PDFPage; ops: string[] };
  let y = 0;
  const newPage = () => {
    cur = { page: doc.addPage([A4.w, A4.h]), ops: [] };
    pages.push(cur);
    y = A4.h - MARGIN;
  };
  newPage();
  const fontKeys = new Map<PDFFont, string>([
    [regular, 'BR'],
    [bold, 'BB'],
    [mono, 'BM'],
  ]);
  const text = (t: string, x: number, yy: number, size: number, font: PDFFont, grey: boolean) => {
    const c = grey ? '0.35 0.35 0.4' : '0.08 0.08 0.1';
    cur.ops.push(`BT /${fontKeys.get(font)} ${size} Tf ${c} rg ${x.toFixed(2)} ${yy.toFixed(2)} Td <${winAnsiHex(t)}> Tj ET`);
  };
  const para = (t: string, font: PDFFont, size: number, after = 4, indent = 0, grey = false) => {
    for (const l of wrap(safe(t), font, size, width - indent)) {
      if (y - size < MARGIN + 20) newPage();
      text(l, MARGIN + indent, y - size, size, font, grey);
      y -= size * 1.35;
    }
    y -= after;
  };

  const offer = records.find((r) => r.kind === 'offer');
  const property = (offer?.data.property ?? {}) as Record<string, unknown>;
  const message = records.find((r) => r.kind === 'message');
  const recipient = message?.data.recipient as { name?: string } | undefined;

  para('Nachweisakte', bold, 20, 6);
  para('Manipulationssicherer Nachweis über Zustellung, Abrufe und Erklärungen', regular, 10, 12, 0, true);
  para('Objekt', bold, 12.5, 2);
  para(offer ? `${str(property.title)}${property.address ? `, ${str(property.address)}` : ''}` : 'kein veröffentlichtes Angebot in diesem Auszug', regular, 10.5, 8);
  para('Interessent', bold, 12.5, 2);
  para(`${recipient?.name ? `${recipient.name} ` : ''}<${file.email}>`, regular, 10.5, 8);
  const policy = property.cancellationPolicy as { version?: string; sha256?: string } | undefined;
  if (policy) {
    para('Widerrufsbelehrung (mit dem Angebot versandt)', bold, 12.5, 2);
    para(`Fassung ${str(policy.version)}, SHA-256 ${str(policy.sha256)}`, regular, 10.5, 8);
  }
  para('Erstellt', bold, 12.5, 2);
  para(`${when(file.exportedAt)} · Konto ${file.account}${file.offerId ? ` · Angebot ${file.offerId}` : ''}`, regular, 10.5, 12);

  para(`Zeitleiste (${records.length} Einträge)`, bold, 14, 6);
  const positions = new Map(file.records.map((r, i) => [i, r]));
  const ordered = records.map((r, i) => ({ r, e: positions.get(i)! })).sort((a, b) => (a.r.at < b.r.at ? -1 : a.r.at > b.r.at ? 1 : a.e.position - b.e.position));
  for (const { r, e } of ordered) {
    const { title, details } = describe(r);
    if (y < MARGIN + 80) newPage();
    para(when(r.at), regular, 8.5, 1, 0, true);
    para(title, bold, 10.5, 1, 8);
    for (const d of details) para(d, regular, 9.5, 1, 8);
    para(`Kettenposition ${e.position} · Hash ${e.recordHash}`, mono, 7, 6, 8, true);
  }

  newPage();
  para('So prüfen Sie diesen Nachweis', bold, 14, 6);
  para(
    'Die Datei nachweis.json enthält jeden Eintrag dieses Auszugs in maschinenlesbarer Form. Jeder Eintrag ist mit dem SHA-256 seiner kanonischen JSON-Form (RFC 8785) in eine fortlaufende Hash-Kette des Kontos eingereiht; der Collector signiert den Stand der Kette mindestens einmal pro Minute mit seinem Ed25519-Schlüssel. Jede nachträgliche Änderung, Auslassung oder Umstellung eines Eintrags bricht die Kette oder eine Signatur.',
    regular,
    10,
    6,
  );
  para('Prüfung ohne Netzverbindung:', regular, 10, 2);
  para('npm run verify-evidence -- nachweis.json --key blitz-evidence-key.pem', mono, 9, 6, 8);
  para(
    'Den öffentlichen Schlüssel liefert der Collector unter /.well-known/blitz-evidence-key. Das Format ist in docs/evidence.md beschrieben, sodass jeder eine eigene Prüfung schreiben kann.',
    regular,
    10,
    8,
  );
  para('Fingerabdruck des Schlüssels', bold, 12, 2);
  para(file.key.fingerprint, mono, 8.5, 8);
  para('Signierte Kettenstände', bold, 12, 2);
  for (const h of file.heads) {
    para(
      `Position ${h.head.position} · signiert ${when(h.head.signedAt)}${h.timestamp ? ` · Zeitstempel von ${h.timestamp.tsa}` : ''}`,
      regular,
      9,
      0,
    );
    para(`Kettenglied ${h.head.link}`, mono, 7, 4, 8, true);
  }
  pages.forEach((p, i) => {
    cur = p;
    text(safe(`Nachweisakte ${file.email} · Seite ${i + 1} von ${pages.length}`), MARGIN, MARGIN - 24, 8, regular, true);
    for (const [font, key] of fontKeys) p.page.node.setFontDictionary(PDFName.of(key), font.ref);
    // node's zlib, not pdf-lib's JavaScript deflate: several times faster on megabytes of text
    // level 1: a third of the time of the default level for a few per cent more bytes
    const packed = deflateSync(Buffer.from(p.ops.join('\n'), 'latin1'), { level: 1 });
    const stream = PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: packed.length }), packed);
    p.page.node.addContentStream(doc.context.register(stream));
  });
  // pdf-lib yields to the event loop every 50 objects by default; one export is one job
  return Buffer.from(await doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY }));
}
