import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { safe, wrap } from '../evidence/pdf';
import type { SubjectExport } from './subject';

/**
 * auskunft.pdf: the subject export (auskunft.json) readable for the person asking (German
 * document text, like the Nachweisakte). The JSON is complete; the PDF lists every row.
 */

const SECTION_TITLES: Record<string, string> = {
  events: 'Ereignisse (Öffnungen, Klicks, Besuche, Downloads, Bestätigungen)',
  mailbox_signals: 'Antworten, Unzustellbarkeit, Abwesenheitsnotizen',
  legal_confirmations: 'Rechtliche Bestätigungen (mit vollständiger IP-Adresse)',
  declarations: 'Erklärungen im Formular der Angebotsseite',
  likes: 'Markierte Einheiten',
  landing_locks: 'Sperren der Angebotsseiten',
  offer_recipients: 'Empfang von Angeboten',
  files: 'Dateien, die nur an diese Adresse gingen',
  offers: 'Angebote, die nur an diese Adresse gingen',
  evidence_records: 'Einträge der Nachweiskette',
  trackers: 'Tracking-Kennungen',
  messages: 'Gesendete E-Mails',
};

const EVENT_TITLES: Record<string, string> = {
  'email.opened': 'E-Mail geöffnet',
  'email.link_clicked': 'Link in der E-Mail geöffnet',
  'landing.visited': 'Angebotsseite besucht',
  'landing.link_opened': 'Link auf der Angebotsseite geöffnet',
  'landing.document_downloaded': 'Dokument heruntergeladen',
  'landing.unit_liked': 'Einheit markiert',
  'landing.unit_unliked': 'Markierung entfernt',
  'landing.expose_downloaded': 'Exposé heruntergeladen',
  'landing.cancellation_policy_opened': 'Widerrufsbelehrung geöffnet',
  'landing.legal_confirmed': 'Rechtliche Bestätigung abgegeben',
  'landing.confirmation_sent': 'Bestätigung per E-Mail gesendet',
  'mail.replied': 'Antwort erhalten',
  'mail.bounced': 'Zustellung fehlgeschlagen',
  'mail.auto_replied': 'Abwesenheitsnotiz erhalten',
};

const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'medium' });
function when(iso: unknown): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? String(iso ?? '') : berlin.format(new Date(t));
}

function eventLine(r: Record<string, unknown>): string {
  const detail = (r.detail ?? {}) as Record<string, unknown>;
  const what = EVENT_TITLES[String(r.type)] ?? String(r.type);
  const extra = [detail.url, detail.document, detail.unit].filter((x) => typeof x === 'string' && x).join(', ');
  return `${when(r.occurred_at)}: ${what}${extra ? ` — ${extra}` : ''} (Einordnung: ${String(r.verdict ?? '')}, IP-Präfix ${String(r.ip_prefix ?? '–')})`;
}

function rowLine(r: Record<string, unknown>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage([595.28, 841.89]);
    this.y = 800;
  }
  line(text: string, opts: { size?: number; bold?: boolean; gap?: number } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.bold ? this.bold : this.font;
    for (const l of wrap(safe(text), font, size, 500)) {
      if (this.y < 50) this.newPage();
      this.page.drawText(l, { x: 48, y: this.y, size, font });
      this.y -= size * 1.35;
    }
    this.y -= opts.gap ?? 2;
  }
}

export async function renderSubjectPdf(x: SubjectExport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(safe(`Auskunft nach Art. 15 DSGVO – ${x.email}`));
  doc.setProducer('Blitz collector');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  w.line('Auskunft über gespeicherte Daten (Art. 15 DSGVO)', { size: 16, bold: true, gap: 8 });
  w.line(`E-Mail-Adresse: ${x.email}`);
  w.line(`Konto: ${x.account}`);
  w.line(`Erstellt: ${when(x.exportedAt)}`);
  w.line(
    `Aufbewahrung: Verhaltensdaten (Öffnungen, Klicks, Besuche, Markierungen) ${x.retentionDays} Tage; Nachweise bis zum Ende der Verjährungsfrist (drei Jahre ab Ende des Jahres des letzten Eintrags).`,
  );
  w.line(
    x.hold
      ? `Aufbewahrungssperre (Legal Hold) seit ${when(x.hold.setAt)}: ${x.hold.reason}`
      : 'Keine Aufbewahrungssperre (Legal Hold).',
    { gap: 10 },
  );
  for (const [kind, rows] of Object.entries(x.sections)) {
    w.line(`${SECTION_TITLES[kind] ?? kind} (${rows.length})`, { size: 12, bold: true, gap: 4 });
    if (rows.length === 0) w.line('Keine Einträge.');
    for (const r of rows) w.line(kind === 'events' || kind === 'mailbox_signals' ? eventLine(r) : rowLine(r));
    w.line('', { gap: 8 });
  }
  return doc.save();
}
