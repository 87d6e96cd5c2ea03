import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { blocks } from './template';

/**
 * Characters WinAnsi (the encoding of the standard Helvetica) can show beyond Latin-1; anything
 * else is replaced, because pdf-lib throws on a character the font cannot encode.
 */
const WINANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function winAnsiSafe(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WINANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\t') out += ' ';
    else if (ch === '\u2212') out += '-';
    else if (ch === '\u2009' || ch === '\u202f') out += ' ';
    else out += '?';
  }
  return out;
}

export interface WiderrufPdfInput {
  /** the filled Markdown text (headings, paragraphs) */
  text: string;
  /** „Fassung Nr. 2 vom 01.07.2025“ */
  versionLabel: string;
  /** who sends it, for the footer: „Sommer Immobilien GmbH · Lindenthaler Straße 40, 04155 Leipzig“ */
  sender: string;
  /** the property the offer is about, for the header line */
  subject: string;
  createdAt: Date;
}

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 56;

/**
 * The Widerrufsbelehrung with the Muster-Widerrufsformular as a PDF (the e-mail attachment: a web
 * page is not a durable medium). The form starts on a page of its own so it can be printed alone.
 */
export async function renderWiderrufPdf(input: WiderrufPdfInput): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsiSafe(`Widerrufsbelehrung – ${input.subject}`));
  doc.setAuthor(winAnsiSafe(input.sender));
  doc.setSubject('Widerrufsbelehrung und Muster-Widerrufsformular');
  doc.setCreator('Blitz');
  doc.setProducer('Blitz (pdf-lib)');
  doc.setCreationDate(input.createdAt);
  doc.setModificationDate(input.createdAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = A4.w - 2 * MARGIN;

  let page: PDFPage = doc.addPage([A4.w, A4.h]);
  let y = A4.h - MARGIN;
  const pages: PDFPage[] = [page];
  const newPage = () => {
    page = doc.addPage([A4.w, A4.h]);
    pages.push(page);
    y = A4.h - MARGIN;
  };
  const line = (t: string, font: PDFFont, size: number, gap: number) => {
    if (y - size < MARGIN + 20) newPage();
    page.drawText(t, { x: MARGIN, y: y - size, size, font, color: rgb(0.1, 0.1, 0.12) });
    y -= size + gap;
  };
  const para = (t: string, font: PDFFont, size: number, after: number) => {
    for (const l of wrap(winAnsiSafe(t), font, size, width)) line(l, font, size, size * 0.45);
    y -= after;
  };

  para(input.subject, regular, 9, 2);
  para(input.versionLabel, regular, 9, 14);
  for (const b of blocks(input.text)) {
    if (b.kind === 'h2' && /muster-widerrufsformular/i.test(b.text) && y < A4.h - MARGIN - 1) newPage();
    if (b.kind === 'h1') para(b.text, bold, 17, 8);
    else if (b.kind === 'h2') {
      if (y < MARGIN + 90) newPage();
      y -= 6;
      para(b.text, bold, 12.5, 4);
    } else para(b.text, regular, 10.5, 7);
  }
  pages.forEach((p, i) => {
    const footer = winAnsiSafe(
      `${input.sender} · ${input.versionLabel} · Seite ${i + 1} von ${pages.length}`,
    );
    const size = 8;
    const shown = wrap(footer, regular, size, width)[0] ?? '';
    p.drawText(shown, { x: MARGIN, y: MARGIN - 24, size, font: regular, color: rgb(0.4, 0.4, 0.45) });
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** greedy word wrap by the font's real advance widths; over-long words are cut */
export function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let cur = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= maxWidth;
  for (let w of words) {
    while (!fits(w)) {
      let cut = w.length - 1;
      while (cut > 1 && !fits(w.slice(0, cut))) cut--;
      if (cur !== '') {
        lines.push(cur);
        cur = '';
      }
      lines.push(w.slice(0, cut));
      w = w.slice(cut);
    }
    const next = cur === '' ? w : `${cur} ${w}`;
    if (fits(next)) cur = next;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}
