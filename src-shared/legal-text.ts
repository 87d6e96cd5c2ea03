/**
 * Legal texts (Widerrufsbelehrung, AGB, Datenschutzerklärung) travel as light Markdown: `# ` and
 * `## ` headings, paragraphs separated by a blank line. One reader for the landing pages, the
 * confirmation mail and the PDF, so a heading is a heading everywhere.
 */
export type LegalBlock = { kind: 'h1' | 'h2' | 'p'; text: string };

export function legalBlocks(markdown: string): LegalBlock[] {
  const out: LegalBlock[] = [];
  for (const chunk of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const t = chunk.trim();
    if (t === '') continue;
    if (t.startsWith('## ')) {
      // a heading directly followed by its text in the same chunk
      const [head, ...rest] = t.slice(3).split('\n');
      out.push({ kind: 'h2', text: (head ?? '').trim() });
      if (rest.join('').trim() !== '') out.push({ kind: 'p', text: rest.join('\n').trim() });
    } else if (t.startsWith('# ')) {
      const [head, ...rest] = t.slice(2).split('\n');
      out.push({ kind: 'h1', text: (head ?? '').trim() });
      if (rest.join('').trim() !== '') out.push({ kind: 'p', text: rest.join('\n').trim() });
    } else out.push({ kind: 'p', text: t });
  }
  return out;
}
