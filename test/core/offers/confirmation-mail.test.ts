import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse, OfferEvidenceResponse } from '../../../src-shared/api';
import type { PropertyDto } from '../../../src-shared/ipc';
import { call } from '../../collector/helpers';
import { asUpload, projectFiles, projectXml } from '../../fixtures/openimmo/files';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { readMailbox, startDovecot, type TestImapServer } from '../../support/mail-servers';
import { removeDir, startTestCore, tempDir, waitFor, type TestCore } from '../helpers';
import { startSmtp } from '../outbox/harness';
import { pdfTextLines } from './pdf-text';

/**
 * After the prospect confirmed on the landing page: the confirmation mail goes out once, from the
 * agent's desktop over the agent's SMTP, with the exact wordings, the time, the property and the
 * Widerrufsbelehrung + Muster-Widerrufsformular as PDF; delivered into the prospect's Dovecot
 * mailbox and read back over IMAP. A second desktop of the same agent sends nothing.
 */
let col: TestCollector;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let agentImap: TestImapServer;
let prospectImap: TestImapServer;
const BROWSER = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'x-forwarded-for': '198.51.100.23',
};
const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };

beforeAll(async () => {
  [col, smtp, agentImap, prospectImap] = await Promise.all([
    startTestCollector({ trustProxy: true }),
    startSmtp(),
    startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
    startDovecot({ user: ANNA.email, password: 'anna-geheim' }),
  ]);
});
afterAll(async () => {
  await Promise.all([col?.close(), smtp?.close(), agentImap?.close(), prospectImap?.close()]);
});

const account = () => ({
  fromName: 'Katrin Sommer',
  fromEmail: 'k.sommer@sommer-immobilien.example',
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' as const, user: '', password: '' },
  imap: {
    host: agentImap.host,
    port: agentImap.port,
    security: 'starttls' as const,
    user: agentImap.user,
    password: agentImap.password,
  },
});

async function setUp(t: TestCore): Promise<PropertyDto> {
  const d = t.core.dispatch as (
    op: string,
    args: unknown,
  ) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  for (const [op, args] of [
    ['settings.saveMailAccount', account()],
    ['settings.saveCollector', { url: col.url, token: col.agentToken }],
    [
      'legal.saveProfile',
      {
        company: 'Sommer Immobilien GmbH',
        address: 'Lindenthaler Straße 40, 04155 Leipzig',
        phone: '+49 341 123 456 78',
        commissionNotice: 'Käuferprovision 3,57 % inkl. MwSt.',
      },
    ],
    [
      'landing.saveDocument',
      { kind: 'agb', text: '# AGB\n\n## Geltung\n\nDiese AGB gelten für alle Maklerverträge.' },
    ],
  ] as const) {
    const r = await d(op, args);
    if (!r.ok) throw new Error(`${op}: ${JSON.stringify(r.error)}`);
  }
  const imp = await d('properties.importOpenImmo', { xml: projectXml(), files: asUpload(projectFiles()) });
  if (!imp.ok) throw new Error(JSON.stringify(imp.error));
  return (imp.value as { properties: PropertyDto[] }).properties[0]!;
}

/** the prospect's mail server accepting the message from the agent's (an MX delivery) */
async function deliverToProspect(raw: Buffer): Promise<void> {
  const client = new ImapFlow({
    host: prospectImap.host,
    port: prospectImap.port,
    secure: false,
    auth: { user: prospectImap.user, pass: prospectImap.password },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
  await client.connect();
  try {
    await client.append('INBOX', raw);
  } finally {
    await client.logout();
  }
}

describe('the confirmation mail', () => {
  let t: TestCore;
  let second: TestCore | null = null;
  beforeAll(async () => {
    t = await startTestCore({ mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true } });
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
    removeDir(t.dataDir);
  });

  it('reaches the prospect once with the exact wordings, the time, the property and the statutory PDF', async () => {
    const prop = await setUp(t);
    const sent = await t.core.dispatch('offers.send', { propertyId: prop.id, recipients: [ANNA], intro: '' });
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    const offerId = await waitFor(
      async () => {
        const r = await t.core.dispatch('offers.get', { activityId: sent.value.activityId });
        const list = await t.core.dispatch('activities.list', {});
        const filed =
          list.ok && list.value.find((a) => a.id === sent.value.activityId)?.outboxState === 'filed';
        return r.ok && filed ? r.value.offerId : null;
      },
      'offer filed',
      20_000,
    );
    const offerMail = smtp.received[0]!;
    const landing = /https?:\/\/[^\s"<>]+\/l\/[A-Za-z0-9_-]+/.exec(offerMail.text)![0];

    // the prospect confirms (a consumer, buyer pays commission, AGB stored: four required boxes)
    const html = await (await fetch(landing, { headers: BROWSER })).text();
    for (const id of [
      'cancellation_policy_read',
      'early_start',
      'commission_notice',
      'terms_accepted',
      'contact_permission',
    ])
      expect(html).toContain(`data-confirmation="${id}"`);
    expect(html).not.toContain('data-confirmation="privacy_read"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const post = await fetch(`${landing}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        ...BROWSER,
      },
      body: new URLSearchParams({
        csrf,
        c_cancellation_policy_read: 'ja',
        c_early_start: 'ja',
        c_commission_notice: 'ja',
        c_terms_accepted: 'ja',
        c_contact_permission: 'ja',
      }).toString(),
    });
    expect(post.status).toBe(303);

    const confirmation = await waitFor(
      async () => smtp.received.find((m) => m.raw.includes('bestaetigung-')) ?? null,
      'confirmation mail sent',
      20_000,
    );
    expect(confirmation.rcpt).toEqual([ANNA.email]);
    await deliverToProspect(Buffer.from(confirmation.raw));
    const inbox = await readMailbox(prospectImap, 'INBOX');
    expect(inbox).toHaveLength(1);
    const mail = await simpleParser(inbox[0]!.raw);
    expect(mail.from?.value[0]?.address).toBe('k.sommer@sommer-immobilien.example');
    expect(mail.subject).toContain('Bestätigung Ihrer Angaben – Neubauprojekt');
    // no pixel, no rewritten link in a legal confirmation
    expect(mail.html || '').not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);

    // the exact wordings as stored in the evidence, and the time
    const ev = await call<OfferEvidenceResponse>(`${col.url}/api/v1/offers/${offerId}/evidence`, {
      token: col.agentToken,
    });
    expect(ev.body.evidence).toHaveLength(5);
    const text = mail.text ?? '';
    for (const e of ev.body.evidence)
      expect(text.replace(/\s+/g, ' ')).toContain(e.wording.replace(/\s+/g, ' '));
    expect(text).toMatch(/Zeitpunkt Ihrer Erklärung: \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d Uhr/);
    expect(text).toContain('Gohliser');

    // the PDF: statutory wording, headings, the property in the form
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.filename).toBe('Widerrufsbelehrung und Muster-Widerrufsformular.pdf');
    const pages = pdfTextLines(pdf.content);
    const all = pages.map((p) => p.join(' ')).join('\n');
    expect(all).toContain('Widerrufsrecht');
    expect(all).toContain('Folgen des Widerrufs');
    expect(all).toContain('(z. B. ein mit der Post versandter Brief oder E-Mail)');
    expect(all).not.toContain('oder eine E-Mail');
    expect(all).not.toContain('Besonderer Hinweis');
    expect(all).toContain('während der Widerrufsfrist beginnen soll, so haben Sie uns');
    expect(all).toContain(
      'Sommer Immobilien GmbH, Lindenthaler Straße 40, 04155 Leipzig, Telefon: +49 341 123 456 78',
    );
    const formPage = pages.find((p) => p.includes('Muster-Widerrufsformular'))!;
    expect(formPage.join(' ')).toMatch(
      /Dienstleistung \(\*\): Nachweis und\/oder Vermittlung zum Objekt Neubauprojekt/,
    );
    expect(all).not.toContain('{{');
    expect(all).not.toContain('[wird beim Senden');

    // the sent confirmation is an event of the offer; the page says it was sent
    const events = await waitFor(
      async () => {
        const r = await call<EventsResponse>(`${col.url}/api/v1/events?after=0&limit=1000`, {
          token: col.agentToken,
        });
        const x = r.body.events.filter((e) => e.type === 'landing.confirmation_sent');
        return x.length > 0 ? x : null;
      },
      'confirmation_sent event',
      10_000,
    );
    expect(events).toHaveLength(1);
    expect(await (await fetch(landing, { headers: BROWSER })).text()).toMatch(
      /wurde Ihnen am .* per E-Mail gesendet/,
    );
    const feed = await waitFor(
      async () => {
        const f = await t.core.dispatch('feed.get', { activityId: sent.value.activityId });
        return f.ok && f.value.items.some((i) => i.type === 'landing.confirmation_sent') ? f.value : null;
      },
      'feed shows the sent confirmation',
      15_000,
    );
    expect(feed.items.filter((i) => i.type === 'landing.confirmation_sent')).toHaveLength(1);

    // the Kontakterlaubnis reached the contact in the app
    const contacts = await t.core.dispatch('landing.contacts', {});
    expect(contacts.ok && contacts.value.find((c) => c.email === ANNA.email)?.offerPermissionAt).toBeTruthy();

    // the confirmation is filed in the agent's Sent folder like every mail
    await waitFor(
      async () =>
        (await readMailbox(agentImap, 'Sent')).some((m) => m.raw.includes('bestaetigung-')) ? true : null,
      'confirmation filed in Sent',
      15_000,
    );

    // a second desktop of the same agent: syncs, sends nothing; a repeat POST sends nothing either
    second = await startTestCore(
      { mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true } },
      tempDir(),
    );
    for (const [op, args] of [
      ['settings.saveMailAccount', account()],
      ['settings.saveCollector', { url: col.url, token: col.agentToken }],
    ] as const) {
      const r = await (second.core.dispatch as (o: string, a: unknown) => Promise<{ ok: boolean }>)(op, args);
      expect(r.ok).toBe(true);
    }
    await fetch(`${landing}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        ...BROWSER,
      },
      body: new URLSearchParams({
        csrf,
        c_cancellation_policy_read: 'ja',
        c_early_start: 'ja',
        c_commission_notice: 'ja',
        c_terms_accepted: 'ja',
      }).toString(),
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.received.filter((m) => m.raw.includes('bestaetigung-'))).toHaveLength(1);
  });
});
