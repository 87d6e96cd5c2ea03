/**
 * Where the app window may go. Kept free of electron so it is tested on plain Node.
 * The window shows only our own renderer; everything else is either handed to the user's
 * browser (http/https links in mails or help texts) or refused.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'blitz';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type NavigationDecision =
  { action: 'allow' } | { action: 'external'; url: string } | { action: 'deny' };

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True when `raw` belongs to one of the origins that serve our renderer. */
export function isAppUrl(raw: string | undefined | null, appOrigins: readonly string[]): boolean {
  if (!raw) return false;
  const url = parse(raw);
  if (!url) return false;
  // `new URL('app://blitz/x').origin` is "null" for non-special schemes; compare scheme + host instead.
  const key = `${url.protocol}//${url.host}`;
  return appOrigins.some((o) => {
    const allowed = parse(o);
    return allowed !== null && `${allowed.protocol}//${allowed.host}` === key;
  });
}

/**
 * A link the user may open in the system browser: absolute http(s), no embedded credentials
 * (they are a phishing trick and would leak into the browser history), returned normalised.
 */
export function externalLink(raw: string): string | null {
  const url = parse(raw);
  if (!url) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.hostname === '') return null;
  return url.toString();
}

/** Decision for will-navigate / setWindowOpenHandler: in-app stays, http(s) goes out, the rest is refused. */
export function decideNavigation(raw: string, appOrigins: readonly string[]): NavigationDecision {
  if (isAppUrl(raw, appOrigins)) return { action: 'allow' };
  const external = externalLink(raw);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}
