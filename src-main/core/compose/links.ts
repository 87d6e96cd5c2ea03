import { analyseHtml } from './html-sites';
import { findTextUrls } from './text';

/**
 * The distinct absolute http(s) links that will be tracked, HTML part first, each in order of
 * first appearance. Exactly these are registered with the collector, and exactly these are
 * rewritten by injectTracking/rewriteText (the rules live in skip-rules.ts).
 *
 * Links inside HTML comments are not links to a parser, and stay untouched: that includes the
 * VML buttons in Outlook's `<!--[if mso]>…<![endif]-->` blocks. Rewriting inside a comment would
 * mean string-editing a non-HTML dialect by hand; those blocks duplicate a regular HTML button
 * that every other client shows, so only clicks from classic Outlook on Windows go untracked.
 */
export function extractTrackableLinks(html?: string, text?: string): string[] {
  const seen = new Set<string>();
  if (html) for (const s of analyseHtml(html).sites) if (s.trackable) seen.add(s.url);
  if (text) for (const u of findTextUrls(text)) if (u.trackable) seen.add(u.url);
  return [...seen];
}
