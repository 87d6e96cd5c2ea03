import type { ReactNode } from 'react';

/**
 * Short hyphenated words made of letters only („E-Mail“, „Beispiel-Schmidt“); URLs and paths
 * are left free to wrap, a long one on one line would widen its box.
 */
const HYPHENATED = /(?<![\p{L}\p{N}./-])(\p{L}{1,12}-\p{L}{1,24})(?![\p{L}\p{N}/-])/u;

/** „E-Mail“ must not break as „E-“ / „Mail“: hyphenated words stay on one line */
export function keepHyphenatedWords(text: string): ReactNode[] {
  return text.split(HYPHENATED).map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}
