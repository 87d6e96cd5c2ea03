/**
 * Links Blitz redirects to are refused when parsers disagree on them: a backslash (WHATWG reads it
 * as `/` in http(s), others as part of the user name, so `https://example.org\@evil.example/`
 * is example.org for a browser and evil.example for a mail scanner) and credentials in the
 * authority (`https://user:pw@host/`, a classic way to dress one host up as another).
 * Used by the collector's registration schema and by the desktop's "is this link tracked" rule,
 * so a link the collector would refuse is left as it is instead of failing the send.
 */
export function linkProblem(s: string): string | null {
  if (s.includes('\\')) return 'must not contain a backslash';
  const authority = /^[a-z][a-z0-9+.-]*:[/\\]*([^/?#\\]*)/i.exec(s.trim())?.[1] ?? '';
  if (authority.includes('@')) return 'must not contain user:password';
  return null;
}

/** The form a redirect sends: the WHATWG href of the registered URL (host lower-cased, IDN as punycode, dot segments resolved). */
export function redirectLocation(registered: string): string {
  return new URL(registered).href;
}
