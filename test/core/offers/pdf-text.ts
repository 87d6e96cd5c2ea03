import { inflateSync } from 'node:zlib';

// WinAnsi bytes 0x80–0x9f that differ from Latin-1
const WIN_ANSI: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

/**
 * The text lines a PDF written by pdf-lib with a standard font shows, page by page: each content
 * stream is inflated and its `<hex> Tj` strings decoded from WinAnsi. Enough to read our own PDFs
 * back without a PDF library that could hide an encoding bug.
 */
export function pdfTextLines(pdf: Buffer): string[][] {
  const pages: string[][] = [];
  const src = pdf.toString('latin1');
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const dict = m[1] ?? '';
    const lenMatch = /\/Length (\d+)/.exec(dict);
    if (!lenMatch) continue;
    const start = m.index + m[0].length;
    const raw = pdf.subarray(start, start + Number(lenMatch[1]));
    let body: string;
    try {
      body = (/\/FlateDecode/.test(dict) ? inflateSync(raw) : raw).toString('latin1');
    } catch {
      continue;
    }
    const lines = [...body.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((t) => {
      const hex = t[1] ?? '';
      let s = '';
      for (let i = 0; i < hex.length; i += 2) {
        const b = parseInt(hex.slice(i, i + 2), 16);
        s += WIN_ANSI[b] ?? String.fromCharCode(b);
      }
      return s;
    });
    if (lines.length > 0) pages.push(lines);
  }
  return pages;
}
