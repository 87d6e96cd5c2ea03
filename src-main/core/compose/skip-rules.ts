import { linkProblem } from '../../../src-shared/link-policy';

/**
 * Which links are never tracked, shared by the HTML and the text side so that the set registered
 * with the collector is exactly the set rewritten.
 *
 * - Only absolute http(s) URLs: mailto:, tel:, in-page anchors (#…) and relative URLs are left alone
 *   (a relative URL has no meaning in a mail client, and a redirect could not reproduce it).
 * - Unsubscribe links are left alone: a recipient opting out must reach the sender's list directly
 *   (one-click tokens, GDPR), and link scanners that pre-fetch every link must not be logged as
 *   "clicked unsubscribe" by us. Detected by a keyword (below) in the URL, in the link's own text
 *   (including title/aria-label and the alt text of images inside it), in an id/class/title/name/
 *   data-* attribute of an enclosing element (`<td class="unsubscribe">`, a List-Unsubscribe-style
 *   footer marker), or in the short text (≤ 300 characters) of the enclosing paragraph-like element
 *   ("… klicken Sie <a>hier</a>, um sich abzumelden"). False positives only cost a tracked click.
 * - `data-blitz-skip` on the link (or any enclosing element) opts out explicitly.
 * - URLs longer than the collector accepts (4096 characters) are left alone rather than refused,
 *   and so are links it refuses for a backslash or user:password (src-shared/link-policy.ts).
 */
export const UNSUBSCRIBE_KEYWORDS = [
  'unsubscribe',
  'abmelden',
  'abmeldung',
  'abzumelden',
  'abbestellen',
  'austragen',
  'opt-out',
  'optout',
] as const;

export const MAX_TRACKED_URL_LENGTH = 4096;

export function mentionsUnsubscribe(s: string): boolean {
  const lower = s.toLowerCase();
  return UNSUBSCRIBE_KEYWORDS.some((k) => lower.includes(k));
}

/** An absolute http(s) URL with a host, as the collector's AbsoluteHttpUrl schema accepts it. */
export function isAbsoluteHttpUrl(s: string): boolean {
  if (s.length > MAX_TRACKED_URL_LENGTH) return false;
  if (!/^https?:\/\//i.test(s)) return false;
  if (linkProblem(s) !== null) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}
