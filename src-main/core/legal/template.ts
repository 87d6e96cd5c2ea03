/**
 * The Widerrufsbelehrung is kept as the agent edits it: light Markdown (# and ## headings,
 * paragraphs separated by a blank line) with placeholders {{firma}}, {{anschrift}}, {{telefon}},
 * {{email}} that are filled from the agent's profile when an offer is sent.
 */
export const PLACEHOLDERS = {
  firma: 'Name/Firma des Maklers',
  anschrift: 'Anschrift des Maklers',
  telefon: 'Telefon',
  email: 'E-Mail-Adresse',
  /** filled per offer from the property (title and address), never from the profile */
  objekt: 'Objekt',
} as const;
export type PlaceholderKey = keyof typeof PLACEHOLDERS;

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

export function fillPlaceholders(
  template: string,
  values: Partial<Record<PlaceholderKey, string>>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (m, key: string) => {
    const v = (values as Record<string, string | undefined>)[key]?.trim();
    if (v) return v;
    missing.add(key in PLACEHOLDERS ? PLACEHOLDERS[key as PlaceholderKey] : key);
    return `[${key in PLACEHOLDERS ? PLACEHOLDERS[key as PlaceholderKey] : key}]`;
  });
  return { text, missing: [...missing] };
}

export type Block = { kind: 'h1' | 'h2' | 'p'; text: string };

/** headings and paragraphs; single line breaks inside a paragraph are kept as spaces */
export function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  for (const chunk of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const t = chunk.trim();
    if (t === '') continue;
    if (t.startsWith('## ')) out.push({ kind: 'h2', text: t.slice(3).trim() });
    else if (t.startsWith('# ')) out.push({ kind: 'h1', text: t.slice(2).trim() });
    else out.push({ kind: 'p', text: t.replace(/\s*\n\s*/g, ' ') });
  }
  return out;
}

/** plain text for the text/plain part and for the collector's landing page */
export function toPlainText(markdown: string, opts: { skipTitle?: boolean } = {}): string {
  return blocks(markdown)
    .filter((b) => !(opts.skipTitle && b.kind === 'h1'))
    .map((b) => (b.kind === 'p' ? b.text : b.kind === 'h1' ? b.text.toUpperCase() : b.text))
    .join('\n\n');
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** e-mail-safe HTML (inline styles only: mail clients drop <style>) */
export function toHtml(markdown: string): string {
  return blocks(markdown)
    .map((b) =>
      b.kind === 'h1'
        ? `<h2 style="font-size:18px;margin:24px 0 8px">${esc(b.text)}</h2>`
        : b.kind === 'h2'
          ? `<h3 style="font-size:15px;margin:18px 0 6px">${esc(b.text)}</h3>`
          : `<p style="margin:0 0 10px;line-height:1.45">${esc(b.text)}</p>`,
    )
    .join('\n');
}
