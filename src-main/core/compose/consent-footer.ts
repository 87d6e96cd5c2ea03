import { prospectTexts, type ProspectLanguage } from '../../../src-shared/i18n/prospect';
import { escapeAttr } from './escape';
import { analyseHtml } from './html-sites';
import { applySplices } from './inject';

/**
 * Issue 17: what a copy tells its recipient about tracking, in the send's prospect language: a
 * copy for a contact whose mode waits for consent (none given yet) carries the consent link (and no
 * tracking); a tracked copy carries the withdrawal link when the account turns it on.
 */
const STYLE = 'font-size:12px;line-height:1.4;color:#555555;margin:16px 0 0';

export function consentFooterHtml(url: string, lang: ProspectLanguage): string {
  const t = prospectTexts(lang).footer;
  return (
    `<p style="${STYLE}">${escapeAttr(t.consentQuestion)} ` +
    `${escapeAttr(t.consentOnly)}: <a href="${escapeAttr(url)}">${escapeAttr(t.consentAction)}</a></p>`
  );
}

export function consentFooterText(url: string, lang: ProspectLanguage): string {
  const t = prospectTexts(lang).footer;
  return `\n\n--\n${t.consentQuestion} ${t.consentOnly}: ${url}\n`;
}

export function withdrawFooterHtml(url: string, lang: ProspectLanguage): string {
  const t = prospectTexts(lang).footer;
  return (
    `<p style="${STYLE}">${escapeAttr(t.trackedNotice)} ` +
    `<a href="${escapeAttr(url)}">${escapeAttr(t.withdrawAction)}</a></p>`
  );
}

export function withdrawFooterText(url: string, lang: ProspectLanguage): string {
  const t = prospectTexts(lang).footer;
  return `\n\n--\n${t.trackedNotice} ${t.withdrawAction}: ${url}\n`;
}

/** `snippet` at the end of the body (where a pixel would go); every other byte stays as written */
export function appendToBody(html: string, snippet: string): string {
  const { pixelOffset } = analyseHtml(html);
  return applySplices(html, [{ start: pixelOffset, end: pixelOffset, text: snippet }]);
}
