import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDto, PropertyDto } from '../../../src-shared/ipc';
import { call } from '../../collector/helpers';
import { asUpload, projectFiles, projectXml } from '../../fixtures/openimmo/files';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { readMailbox, startDovecot, type TestImapServer } from '../../support/mail-servers';
import { removeDir, startTestCore, tempDir, waitFor, type TestCore } from '../helpers';
import { pixelToken, spawnCore, startSmtp, type Child } from '../outbox/harness';
import { pdfTextLines } from './pdf-text';
import { deText } from '../../support/messages';

/**
 * „Angebot senden“ through the outbox against a real collector, SMTP server and Dovecot:
 * queued → registered → published → sending → sent → filed, one copy per prospect with their own
 * landing page, and a SIGKILL at the new step loses and doubles nothing.
 */
let col: TestCollector;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let imap: TestImapServer;
const dirs: string[] = [];

beforeAll(async () => {
  [col, smtp, imap] = await Promise.all([
    startTestCollector({ trustProxy: true }),
    startSmtp(),
    startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([col?.close(), smtp?.close(), imap?.close()]);
  for (const d of dirs) removeDir(d);
});

const account = () => ({
  fromName: 'Katrin Sommer',
  fromEmail: 'k.sommer@sommer-immobilien.example',
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' as const, user: '', password: '' },
  imap: {
    host: imap.host,
    port: imap.port,
    security: 'starttls' as const,
    user: imap.user,
    password: imap.password,
  },
});
const profile = {
  company: 'Sommer Immobilien GmbH',
  address: 'Lindenthaler Straße 40, 04155 Leipzig',
  phone: '+49 341 123 456 78',
  commissionNotice: 'Käuferprovision 3,57 % inkl. MwSt.',
};
const PROSPECTS = [
  { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' },
  { email: 'bernd.muster@kunde.example', name: 'Bernd Muster' },
];
const mailsOf = (id: string) => smtp.received.filter((m) => m.raw.includes(id));
const LANDING = /https?:\/\/[^\s"<>]+\/l\/[A-Za-z0-9_-]+/;

type Dispatch = (
  op: never,
  args: unknown,
) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
async function setUp(dispatch: Dispatch): Promise<PropertyDto> {
  const d = dispatch as (op: string, args: unknown) => ReturnType<Dispatch>;
  for (const [op, args] of [
    ['settings.saveMailAccount', account()],
    ['settings.saveCollector', { url: col.url, token: col.agentToken }],
    ['legal.saveProfile', profile],
  ] as const) {
    const r = await d(op, args);
    if (!r.ok) throw new Error(`${op}: ${JSON.stringify(r.error)}`);
  }
  const imp = await d('properties.importOpenImmo', { xml: projectXml(), files: asUpload(projectFiles()) });
  if (!imp.ok) throw new Error(JSON.stringify(imp.error));
  return (imp.value as { properties: PropertyDto[] }).properties[0]!;
}

describe('offers through the outbox (in process)', () => {
  let t: TestCore;
  const steps: string[] = [];
  beforeAll(async () => {
    t = await startTestCore({
      mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true },
      onOutboxStep: ({ state }) => {
        steps.push(state);
      },
    });
  });
  afterAll(async () => {
    await t.close();
    removeDir(t.dataDir);
  });

  it('publishes, then sends each prospect their own landing page with the Widerrufsbelehrung in body and PDF', async () => {
    const prop = await setUp(t.core.dispatch as Dispatch);
    const input = {
      propertyId: prop.id,
      recipients: PROSPECTS,
      intro: 'anbei wie besprochen unser Neubauprojekt.',
    };
    const preview = await t.core.dispatch('offers.preview', input);
    if (!preview.ok) throw new Error(JSON.stringify(preview.error));
    expect(preview.value.blockers).toEqual([]);
    expect(preview.value.subject).toBe('Ihr Angebot: Neubauprojekt „Gohliser Gärten“ – 5 Eigentumswohnungen');
    expect(preview.value.html).toContain('Guten Tag Anna Beispiel,');

    const sent = await t.core.dispatch('offers.send', input);
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    const id = sent.value.activityId;
    const a = await waitFor(
      async () => {
        const r = await t.core.dispatch('activities.list', {});
        const x = r.ok ? r.value.find((y) => y.id === id) : undefined;
        return x?.outboxState === 'filed' ? x : null;
      },
      'offer filed',
      15_000,
    );
    expect(a.kind).toBe('offer');
    expect(a.sentIndividually).toBe(true);
    expect(steps).toEqual(['queued', 'registered', 'published', 'sending', 'sending', 'sent', 'filed']);

    const mails = mailsOf(id);
    expect(mails.map((m) => m.rcpt)).toEqual([[PROSPECTS[0]!.email], [PROSPECTS[1]!.email]]);
    const urls = mails.map((m) => LANDING.exec(m.html)?.[0]);
    expect(urls.every(Boolean)).toBe(true);
    expect(new Set(urls).size).toBe(2);
    expect(new Set(mails.map(pixelToken)).size).toBe(2);
    for (const [i, m] of mails.entries()) {
      expect(m.html).toContain(`Guten Tag ${PROSPECTS[i]!.name},`);
      expect(m.text).toContain(urls[i]!);
      // the legal text in the body: the Widerrufsbelehrung with the agent's details and the form
      for (const body of [m.html, m.text]) {
        expect(body).toContain('binnen vierzehn Tagen ohne Angabe von Gründen');
        expect(body).toContain('Sommer Immobilien GmbH, Lindenthaler Straße 40, 04155 Leipzig');
        expect(body).toContain('Muster-Widerrufsformular');
        expect(body).toMatch(/Fassung Nr\. 1 vom \d{2}\.\d{2}\.\d{4}/);
      }
      const parsed = await simpleParser(Buffer.from(m.raw));
      expect(parsed.attachments.map((x) => [x.filename, x.contentType])).toEqual([
        ['Widerrufsbelehrung und Muster-Widerrufsformular.pdf', 'application/pdf'],
      ]);
      const pdfText = pdfTextLines(parsed.attachments[0]!.content).flat().join(' ');
      expect(pdfText).toContain('Hiermit widerrufe(n) ich/wir');
      expect(pdfText).toContain('Lindenthaler Straße 40, 04155 Leipzig');
    }

    // the landing page is the prospect's own and carries the version the e-mail named
    const page = await fetch(urls[0]!, {
      headers: {
        'x-forwarded-for': '198.51.100.23',
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Anna Beispiel');
    expect(html).toContain('WE 3');
    expect(html).toMatch(/Widerrufsbelehrung \(Fassung Nr\. 1 vom/);
    const feed = await waitFor(async () => {
      const f = await t.core.dispatch('feed.get', { activityId: id });
      return f.ok && f.value.items.some((i) => i.type === 'landing.visited') ? f.value : null;
    }, 'landing visit in the feed');
    expect(feed.items.find((i) => i.type === 'landing.visited')?.personName).toBe('Anna Beispiel');

    // the Sent copy: one clean copy, no one's landing page, no pixel, the PDF attached
    const filed = (await readMailbox(imap, 'Sent')).filter((m) => m.raw.toString('utf8').includes(id));
    expect(filed).toHaveLength(1);
    const copy = await simpleParser(filed[0]!.raw);
    expect(String(copy.html)).not.toMatch(LANDING);
    expect(String(copy.html)).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(String(copy.html)).toContain('persönlichen Link');
    expect(copy.attachments).toHaveLength(1);

    // a later edit of the Widerrufsbelehrung is a new version; the sent offer keeps its own
    const legal = await t.core.dispatch('legal.get', {});
    const edited = legal.ok ? legal.value.current.text.replace('Besonderer Hinweis', 'Hinweis') : '';
    const v2 = await t.core.dispatch('legal.saveText', { text: edited });
    expect(v2.ok && v2.value.current.version).toBe(2);
    const again = await t.core.dispatch('offers.preview', input);
    expect(again.ok && again.value.policyLabel).toMatch(/^Nr\. 2 vom/);
    const offerEvidence = await call<{ evidence: unknown[] }>(`${col.url}/api/v1/offers/x/evidence`, {
      token: col.agentToken,
    });
    expect(offerEvidence.status).toBe(404);
  });

  it('with tracking switched off account-wide an offer is refused with a clear reason (no landing page without collector)', async () => {
    const off = await call(`${col.url}/api/v1/settings`, {
      token: col.adminToken,
      method: 'PUT',
      body: { trackingEnabled: false },
    });
    expect(off.status).toBe(200);
    try {
      expect(
        (await t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken })).ok,
      ).toBe(true);
      const props = await t.core.dispatch('properties.list', {});
      const input = { propertyId: props.ok ? props.value[0]!.id : '', recipients: [PROSPECTS[0]!] };
      const preview = await t.core.dispatch('offers.preview', input);
      expect(preview.ok && preview.value.blockers.map((b) => b.code)).toEqual(['offer_tracking_disabled']);
      const r = await t.core.dispatch('offers.send', input);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : deText(r.error.message)).toMatch(/Landing Page/);
    } finally {
      await call(`${col.url}/api/v1/settings`, {
        token: col.adminToken,
        method: 'PUT',
        body: { trackingEnabled: true },
      });
      await t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken });
    }
  });
});

describe('offer outbox survives SIGKILL at the new steps', () => {
  async function activity(c: Child, id: string): Promise<ActivityDto | undefined> {
    const r = await c.call<ActivityDto[]>('activities.list', {});
    return r.value?.find((a) => a.id === id);
  }

  for (const park of ['registered', 'published']) {
    it(`killed at ${park}: resumes, publishes once, sends each prospect exactly one copy`, async () => {
      const dir = tempDir('blitz-offer-crash-');
      dirs.push(dir);
      const c1 = await spawnCore(dir, park);
      let c2: Child | null = null;
      try {
        const prop = await setUp(c1.call.bind(c1) as unknown as Dispatch);
        void c1.call('offers.send', { propertyId: prop.id, recipients: PROSPECTS }).catch(() => undefined);
        const first = await c1.waitLine((l) => 'step' in l, 'first step');
        const activityId = (first.step as { activityId: string }).activityId;
        await c1.waitLine((l) => l.parked === park, `parked at ${park}`);
        await c1.kill();
        expect(mailsOf(activityId)).toHaveLength(0);
        c2 = await spawnCore(dir);
        const done = await waitFor(
          async () => {
            const x = await activity(c2!, activityId);
            return x?.outboxState === 'filed' ? x : null;
          },
          'filed after restart',
          20_000,
        );
        expect(done.kind).toBe('offer');
        const mails = mailsOf(activityId);
        expect(mails.map((m) => m.rcpt[0]).sort()).toEqual(PROSPECTS.map((p) => p.email).sort());
        const urls = mails.map((m) => LANDING.exec(m.html)?.[0]);
        expect(new Set(urls).size).toBe(2);
        const steps = c2.lines.filter((l) => 'step' in l).map((l) => (l.step as { state: string }).state);
        expect(steps[0]).toBe(park === 'registered' ? 'published' : 'sending');
      } finally {
        await c1.kill();
        await c2?.kill();
      }
    });
  }
});
