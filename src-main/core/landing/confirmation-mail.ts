import type { Declaration } from '../../../src-shared/api';
import { CONFIRMATION_DE } from '../../../src-shared/i18n/prospect/confirmation-de';
import { legalBlocks } from '../../../src-shared/legal-text';
import { prospectTexts } from '../../../src-shared/i18n/prospect';

const T = CONFIRMATION_DE;
export const CONFIRMATION_PDF_NAME = T.pdfName;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** whether the declaration included the Widerruf (then the PDF goes with it) */
export const withWiderruf = (d: Declaration): boolean =>
  d.items.some((i) => i.confirmation === 'cancellation_policy_read' || i.confirmation === 'early_start');

export function confirmationSubject(d: Declaration): string {
  return T.subject(d.property.title);
}

/**
 * The prospect's confirmation on a durable medium (§ 312f Abs. 2 BGB): what they declared on
 * the landing page, word for word, when, for which property, from the agent's own address; with
 * the Widerrufsbelehrung and the Muster-Widerrufsformular attached as PDF when they applied.
 */
export function renderConfirmationMail(d: Declaration): { html: string; text: string } {
  const p = d.property;
  const w = prospectTexts('de');
  const greeting = w.greeting(d.recipientName);
  const when = T.when(d.declaredAt);
  const object = p.address ? `${p.title}, ${p.address}` : p.title;
  const intro = T.intro(when, object);
  const pdfNote = withWiderruf(d) ? T.pdfNote(p.cancellationPolicy.version, CONFIRMATION_PDF_NAME) : null;
  const agent = p.agent;
  const signature = [
    agent.name,
    agent.company,
    agent.phone ? w.phone(agent.phone) : undefined,
    agent.email,
  ].filter((s): s is string => typeof s === 'string' && s !== '');
  const policy = withWiderruf(d) ? legalBlocks(p.cancellationPolicy.text) : [];

  const html = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>${esc(confirmationSubject(d))}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<div style="max-width:640px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#1b1d22">
<p style="margin:0 0 12px">${esc(greeting)}</p>
<p style="margin:0 0 12px;line-height:1.5">${esc(intro)}</p>
<ol style="margin:0 0 12px;padding-left:22px;line-height:1.5">
${d.items.map((i) => `<li style="margin:0 0 8px">${esc(i.wording)}</li>`).join('\n')}
</ol>
<p style="margin:0 0 12px;line-height:1.5">${esc(T.declaredAt)}: <strong>${esc(when)}</strong></p>
${pdfNote ? `<p style="margin:0 0 12px;line-height:1.5">${esc(pdfNote)}</p>` : ''}
<p style="margin:16px 0 0;line-height:1.5">${esc(w.closing)}<br>${signature.map(esc).join('<br>')}</p>
${
  policy.length > 0
    ? `<hr style="border:0;border-top:1px solid #d7dae0;margin:28px 0 8px">
<div style="font-size:13px;color:#30333a">
${policy
  .map((b) =>
    b.kind === 'h1'
      ? `<h2 style="font-size:18px;margin:24px 0 8px">${esc(b.text)}</h2>`
      : b.kind === 'h2'
        ? `<h3 style="font-size:15px;margin:18px 0 6px">${esc(b.text)}</h3>`
        : `<p style="margin:0 0 10px;line-height:1.45">${esc(b.text).replace(/\n/g, '<br>')}</p>`,
  )
  .join('\n')}
</div>`
    : ''
}
</div>
</body></html>`;

  const text = [
    greeting,
    '',
    intro,
    '',
    ...d.items.flatMap((i, n) => [`${n + 1}. ${i.wording}`, '']),
    `${T.declaredAt}: ${when}`,
    '',
    ...(pdfNote ? [pdfNote, ''] : []),
    w.closing,
    ...signature,
    ...(policy.length > 0
      ? [
          '',
          '----------------------------------------',
          '',
          ...policy.flatMap((b) => [b.kind === 'p' ? b.text : b.text.toUpperCase(), '']),
        ]
      : []),
  ].join('\n');
  return { html, text };
}
