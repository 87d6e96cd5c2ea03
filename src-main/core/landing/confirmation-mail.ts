import type { Declaration } from '../../../src-shared/api';
import { legalBlocks } from '../../../src-shared/legal-text';

export const CONFIRMATION_PDF_NAME = 'Widerrufsbelehrung und Muster-Widerrufsformular.pdf';

const WHEN = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
/** „06.12.2026, 09:14:03 Uhr“: German time, as the landing page shows it */
export const germanTime = (iso: string): string => `${WHEN.format(new Date(iso))} Uhr`;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** whether the declaration included the Widerruf (then the PDF goes with it) */
export const withWiderruf = (d: Declaration): boolean =>
  d.items.some((i) => i.confirmation === 'cancellation_policy_read' || i.confirmation === 'early_start');

export function confirmationSubject(d: Declaration): string {
  return `Bestätigung Ihrer Angaben – ${d.property.title}`;
}

/**
 * The prospect's confirmation on a durable medium (§ 312f Abs. 2 BGB): what they declared on
 * the landing page, word for word, when, for which property, from the agent's own address; with
 * the Widerrufsbelehrung and the Muster-Widerrufsformular attached as PDF when they applied.
 */
export function renderConfirmationMail(d: Declaration): { html: string; text: string } {
  const p = d.property;
  const greeting = d.recipientName ? `Guten Tag ${d.recipientName},` : 'Guten Tag,';
  const when = germanTime(d.declaredAt);
  const object = p.address ? `${p.title}, ${p.address}` : p.title;
  const intro = `vielen Dank für Ihr Interesse. Hiermit bestätigen wir Ihnen, was Sie am ${when} auf Ihrer persönlichen Angebotsseite zum Objekt ${object} erklärt haben:`;
  const pdfNote = withWiderruf(d)
    ? `Die Widerrufsbelehrung (Fassung ${p.cancellationPolicy.version}) und das Muster-Widerrufsformular finden Sie im Anhang dieser E-Mail als PDF („${CONFIRMATION_PDF_NAME}“) und unten im Wortlaut.`
    : null;
  const agent = p.agent;
  const signature = [
    agent.name,
    agent.company,
    agent.phone ? `Telefon ${agent.phone}` : undefined,
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
<p style="margin:0 0 12px;line-height:1.5">Zeitpunkt Ihrer Erklärung: <strong>${esc(when)}</strong></p>
${pdfNote ? `<p style="margin:0 0 12px;line-height:1.5">${esc(pdfNote)}</p>` : ''}
<p style="margin:16px 0 0;line-height:1.5">Mit freundlichen Grüßen<br>${signature.map(esc).join('<br>')}</p>
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
    `Zeitpunkt Ihrer Erklärung: ${when}`,
    '',
    ...(pdfNote ? [pdfNote, ''] : []),
    'Mit freundlichen Grüßen',
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
