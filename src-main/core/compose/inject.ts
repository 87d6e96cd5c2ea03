import { escapeAttr } from './escape';
import { analyseHtml } from './html-sites';

export interface TrackedLink {
  url: string;
  trackedUrl: string;
}

export interface TrackerInput {
  pixelUrl: string;
  links: readonly TrackedLink[];
  /** a hidden link only machines follow; omitted = none */
  honeypotUrl?: string;
  /** issue 17: false when the account's open switch is off (no pixel); omitted = true */
  pixel?: boolean;
  /** issue 17: markup placed where the pixel goes, before it (the withdrawal footer) */
  footerHtml?: string;
}

/** Replace source[start, end) with `text`. Insertions have start === end. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

export const PIXEL_STYLE = 'display:block;border:0;width:1px;height:1px;overflow:hidden';

/**
 * Splices tracked hrefs, the pixel and (optionally) the honeypot into the agent's HTML. Every
 * other byte stays exactly as written: the HTML is parsed (parse5, with source locations) only to
 * find where the href values sit, never re-serialised, because a serialiser would normalise the
 * Outlook conditional comments, entities, whitespace and broken markup the agent's mail depends on.
 */
export function injectTracking(html: string, tracker: TrackerInput): string {
  return applySplices(html, planTracking(html, tracker));
}

/** The edits injectTracking makes, in source order (exported so tests can revert them). */
export function planTracking(html: string, tracker: TrackerInput): Splice[] {
  const tracked = new Map<string, string>();
  for (const l of tracker.links) if (!tracked.has(l.url)) tracked.set(l.url, l.trackedUrl);

  const { sites, pixelOffset } = analyseHtml(html);
  const splices: Splice[] = [];
  for (const site of sites) {
    const target = site.trackable ? tracked.get(site.url) : undefined;
    if (target === undefined) continue;
    const value = escapeAttr(target);
    // Unquoted values get quotes: a tracked URL is not guaranteed to be safe unquoted.
    splices.push({ start: site.valueStart, end: site.valueEnd, text: site.quote ? value : `"${value}"` });
  }
  splices.push({ start: pixelOffset, end: pixelOffset, text: trailer(tracker) });
  // Markup after </body> is still parsed into the body, so an href can sit behind the pixel.
  return splices.sort((a, b) => a.start - b.start);
}

function trailer(tracker: TrackerInput): string {
  const honeypot = tracker.honeypotUrl
    ? `<a href="${escapeAttr(tracker.honeypotUrl)}" style="display:none" aria-hidden="true" tabindex="-1"></a>`
    : '';
  const pixel =
    tracker.pixel === false
      ? ''
      : `<img src="${escapeAttr(tracker.pixelUrl)}" width="1" height="1" alt="" style="${PIXEL_STYLE}">`;
  return (tracker.footerHtml ?? '') + honeypot + pixel;
}

export function applySplices(source: string, splices: readonly Splice[]): string {
  const parts: string[] = [];
  let pos = 0;
  for (const s of splices) {
    parts.push(source.slice(pos, s.start), s.text);
    pos = s.end;
  }
  parts.push(source.slice(pos));
  return parts.join('');
}
