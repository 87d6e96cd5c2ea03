import { escapeAttr } from './escape';
import { analyseHtml } from './html-sites';
import { applySplices } from './inject';

/**
 * Issue 17: what a copy tells its recipient about tracking. Prospect-facing, so German: a copy
 * for a contact „nur nach Einwilligung“ without consent yet carries the consent link (and no
 * tracking); a tracked copy carries the withdrawal link when the account turns it on.
 */
const STYLE = 'font-size:12px;line-height:1.4;color:#555555;margin:16px 0 0';

export function consentFooterHtml(url: string): string {
  return (
    `<p style="${STYLE}">Dürfen wir sehen, ob unsere E-Mails Sie erreichen und welche Angebote Sie interessieren? ` +
    `Das geschieht nur mit Ihrer Einwilligung: <a href="${escapeAttr(url)}">Einwilligung erteilen</a></p>`
  );
}

export function consentFooterText(url: string): string {
  return (
    '\n\n--\nDürfen wir sehen, ob unsere E-Mails Sie erreichen und welche Angebote Sie interessieren? ' +
    `Das geschieht nur mit Ihrer Einwilligung: ${url}\n`
  );
}

export function withdrawFooterHtml(url: string): string {
  return (
    `<p style="${STYLE}">Diese E-Mail erfasst, ob sie geöffnet und ihre Links angeklickt werden. ` +
    `<a href="${escapeAttr(url)}">Tracking widerrufen</a></p>`
  );
}

export function withdrawFooterText(url: string): string {
  return `\n\n--\nDiese E-Mail erfasst, ob sie geöffnet und ihre Links angeklickt werden. Tracking widerrufen: ${url}\n`;
}

/** `snippet` at the end of the body (where a pixel would go); every other byte stays as written */
export function appendToBody(html: string, snippet: string): string {
  const { pixelOffset } = analyseHtml(html);
  return applySplices(html, [{ start: pixelOffset, end: pixelOffset, text: snippet }]);
}
