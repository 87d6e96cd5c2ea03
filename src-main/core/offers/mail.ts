import type { OfferProperty } from '../../../src-shared/api';
import { energyLines } from '../../../src-shared/energy';
import { prospectFormats, prospectTexts, type ProspectLanguage } from '../../../src-shared/i18n/prospect';
import { projectFacts } from '../../../src-shared/project-facts';
import { toHtml, toPlainText } from '../legal/template';

export interface OfferMailInput {
  property: OfferProperty;
  intro: string;
  /** the recipient's name for the greeting; null: a greeting without a name */
  recipientName: string | null;
  /** the prospect's own landing page; null for the copy filed in Sent (no one's link) */
  landingUrl: string | null;
  /** the filled Widerrufsbelehrung incl. Muster-Widerrufsformular (Markdown) */
  policy: string;
  policyLabel: string;
  attachmentName: string;
  /** the language of Blitz's own words in it (the agent's intro and the statutory text stay as written) */
  lang: ProspectLanguage;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function defaultSubject(p: Pick<OfferProperty, 'title'>, lang: ProspectLanguage): string {
  return prospectTexts(lang).offer.subject(p.title);
}

function facts(p: OfferProperty, lang: ProspectLanguage): [string, string][] {
  const t = prospectTexts(lang).facts;
  const { eur, num } = prospectFormats(lang);
  const out: [string, string][] = [];
  if (p.address) out.push([t.address, p.address]);
  const units = p.units ?? [];
  // a project: ranges over its units, not the figures of one of them
  if (units.length > 0) out.push(...projectFacts(units, lang));
  else {
    if (p.price !== undefined) out.push([t.price, eur.format(p.price)]);
    if (p.area !== undefined) out.push([t.area, `${num.format(p.area)} m²`]);
    if (p.rooms !== undefined) out.push([t.rooms, num.format(p.rooms)]);
  }
  // § 87 GEG: the Energieausweis belongs in every ad, the mail included
  if (p.energy) out.push(...energyLines(p.energy, lang));
  return out;
}

/** each unit with its own title, for the mail's list of a project's units */
function unitLines(p: OfferProperty, lang: ProspectLanguage): string[] {
  const t = prospectTexts(lang).facts;
  const { eur, num } = prospectFormats(lang);
  return (p.units ?? []).map((u) => {
    const figures = [
      u.rooms !== undefined ? t.unitRooms(num.format(u.rooms)) : undefined,
      u.area !== undefined ? `${num.format(u.area)} m²` : undefined,
      u.price !== undefined ? eur.format(u.price) : undefined,
      u.status === 'sold' ? t.sold : u.status === 'reserved' ? t.reserved : undefined,
    ].filter((x): x is string => x !== undefined);
    return `${u.number}${u.title ? ` – ${u.title}` : ''}${figures.length ? `: ${figures.join(', ')}` : ''}`;
  });
}

/**
 * The offer e-mail of one prospect. It carries the Widerrufsbelehrung and the
 * Muster-Widerrufsformular in its body (and the caller attaches the PDF): the landing page
 * alone is no durable medium.
 */
export function renderOfferMail(m: OfferMailInput): { html: string; text: string } {
  const p = m.property;
  const w = prospectTexts(m.lang);
  const greeting = w.greeting(m.recipientName);
  const intro = m.intro.trim() || w.offer.intro(p.title);
  const introParas = intro
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const f = facts(p, m.lang);
  const units = unitLines(p, m.lang);
  const agent = p.agent;
  const signature = [
    agent.name,
    agent.company,
    agent.phone ? w.phone(agent.phone) : undefined,
    agent.email,
  ].filter((s): s is string => typeof s === 'string' && s !== '');

  const button = m.landingUrl
    ? `<p style="margin:20px 0"><a href="${esc(m.landingUrl)}" style="display:inline-block;background:#1f4fd1;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">${esc(w.offer.button)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#555">${esc(w.offer.pageHolds((p.units ?? []).length > 0))}</p>`
    : `<p style="margin:20px 0;color:#555"><em>${esc(w.offer.sentCopyNote)}</em></p>`;

  const html = `<!doctype html>
<html lang="${w.htmlLang}"><head><meta charset="utf-8"><title>${esc(p.title)}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<div style="max-width:640px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#1b1d22">
<p style="margin:0 0 12px">${esc(greeting)}</p>
${introParas.map((s) => `<p style="margin:0 0 12px;line-height:1.5">${esc(s).replace(/\n/g, '<br>')}</p>`).join('\n')}
<h1 style="font-size:20px;margin:20px 0 8px">${esc(p.title)}</h1>
${f.length ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 8px">${f.map(([k, v]) => `<tr><td style="padding:3px 16px 3px 0;color:#555">${esc(k)}</td><td style="padding:3px 0"><strong>${esc(v)}</strong></td></tr>`).join('')}</table>` : ''}
${units.length ? `<ul style="margin:0 0 8px;padding-left:18px;color:#30333a">${units.map((u) => `<li style="margin:2px 0">${esc(u)}</li>`).join('')}</ul>` : ''}
${button}
<p style="margin:16px 0 0;line-height:1.5">${esc(w.closing)}<br>${signature.map(esc).join('<br>')}</p>
<hr style="border:0;border-top:1px solid #d7dae0;margin:28px 0 8px">
<p style="margin:0 0 8px;font-size:13px;color:#555">${esc(w.offer.policyHeading(m.policyLabel, m.attachmentName))}</p>
<div lang="de" style="font-size:13px;color:#30333a">
${toHtml(m.policy)}
</div>
</div>
</body></html>`;

  const text = [
    greeting,
    '',
    ...introParas.flatMap((s) => [s, '']),
    p.title,
    ...f.map(([k, v]) => `${k}: ${v}`),
    ...(units.length ? ['', ...units.map((u) => `– ${u}`)] : []),
    '',
    m.landingUrl ? w.offer.linkLine(m.landingUrl) : w.offer.sentCopyNote,
    '',
    w.closing,
    ...signature,
    '',
    '----------------------------------------',
    w.offer.policyHeading(m.policyLabel, m.attachmentName),
    '',
    toPlainText(m.policy),
    '',
  ].join('\n');
  return { html, text };
}
