import type { Classification, Classifier, HitContext, HitSignals } from './types';

/**
 * First rule set (issue 2). The classifier issue replaces this module's internals; its export
 * `classify` keeps this signature.
 */
export const classify: Classifier = (hit: HitSignals, _context: HitContext): Classification => {
  const ua = hit.userAgent.trim();
  if (hit.method === 'HEAD') return { verdict: 'scanner', reasons: ['method.head'] };
  if (ua === '') return { verdict: 'scanner', reasons: ['ua.empty'] };
  if (/^(curl|wget|python-requests|python-urllib|go-http-client|java|okhttp|libwww-perl)\b/i.test(ua)) {
    return { verdict: 'scanner', reasons: ['ua.script'] };
  }
  if (/GoogleImageProxy|YahooMailProxy/.test(ua)) return { verdict: 'proxy', reasons: ['ua.mail_proxy'] };
  if (ua === 'Mozilla/5.0') return { verdict: 'prefetch', reasons: ['ua.bare_mozilla'] };
  return { verdict: 'human', reasons: [] };
};

export type { Classification, Classifier, HitContext, HitSignals } from './types';
