/**
 * The activity search's text: folded once when stored and once per query, so „Expose“ finds
 * „Exposé“ and „MÜLLER“ finds „Müller“ in both of the search's paths (FTS5 trigram index for
 * words of three or more characters, a scan of the folded text for shorter ones).
 */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** what the search matches an activity by: its subject and its recipients' names and addresses */
export function searchPeople(recipients: readonly { email: string; name: string | null }[]): string {
  return foldForSearch(recipients.map((r) => (r.name ? `${r.name} ${r.email}` : r.email)).join('\n'));
}

/** FTS5's trigram index answers substrings of at least three characters */
export const TRIGRAM = 3;

export interface SearchTerms {
  /** an FTS5 MATCH expression over the long words (each a quoted phrase, all required), or null */
  match: string | null;
  /** the words the MATCH expression is made of, folded */
  long: string[];
  /** words shorter than a trigram, folded; each must occur in the subject or the recipients */
  short: string[];
}

/** the query split into words; every word must occur (in any order) */
export function searchTerms(query: string): SearchTerms | null {
  const words = foldForSearch(query)
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  const long = words.filter((w) => [...w].length >= TRIGRAM);
  return {
    match: long.length ? long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null,
    long,
    short: words.filter((w) => [...w].length < TRIGRAM),
  };
}
