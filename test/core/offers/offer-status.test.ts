import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropertyDto } from '../../../src-shared/ipc';
import { asUpload, projectFiles, projectXml } from '../../fixtures/openimmo/files';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { startDovecot, type TestImapServer } from '../../support/mail-servers';
import { removeDir, startTestCore, waitFor, type TestCore } from '../helpers';
import { startSmtp } from '../outbox/harness';
import { deText } from '../../support/messages';

/**
 * After an offer is sent the agent withdraws it or marks it sold, and reads the legal evidence:
 * both through the core against a real collector, as the „Angebot“ panel of the app does.
 */
const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };
const PROSPECT = {
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'x-forwarded-for': '198.51.100.23',
};
const LANDING = /https?:\/\/[^\s"<>]+\/l\/[A-Za-z0-9_-]+/;
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let col: TestCollector;
let collectorClosed = false;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let imap: TestImapServer;
let t: TestCore;
let activityId: string;
let landing: string;

beforeAll(async () => {
  [col, smtp, imap] = await Promise.all([
    startTestCollector({ trustProxy: true }),
    startSmtp(),
    startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
  ]);
  t = await startTestCore({ mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true } });
  const setup = [
    t.core.dispatch('settings.saveMailAccount', {
      fromName: 'Katrin Sommer',
      fromEmail: 'k.sommer@sommer-immobilien.example',
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: '', password: '' },
      imap: {
        host: imap.host,
        port: imap.port,
        security: 'starttls',
        user: imap.user,
        password: imap.password,
      },
    }),
    t.core.dispatch('settings.saveCollector', { url: col.url, token: col.agentToken }),
    t.core.dispatch('legal.saveProfile', {
      company: 'Sommer Immobilien GmbH',
      address: 'Lindenthaler Straße 40, 04155 Leipzig',
      phone: '+49 341 123 456 78',
      commissionNotice: 'Käuferprovision 3,57 % inkl. MwSt.',
    }),
  ];
  for (const r of await Promise.all(setup)) if (!r.ok) throw new Error(JSON.stringify(r.error));
  const imp = await t.core.dispatch('properties.importOpenImmo', {
    xml: projectXml(),
    files: asUpload(projectFiles()),
  });
  if (!imp.ok) throw new Error(JSON.stringify(imp.error));
  const prop: PropertyDto = imp.value.properties[0]!;
  const sent = await t.core.dispatch('offers.send', { propertyId: prop.id, recipients: [ANNA] });
  if (!sent.ok) throw new Error(JSON.stringify(sent.error));
  activityId = sent.value.activityId;
  await waitFor(
    async () => {
      const r = await t.core.dispatch('activities.list', {});
      return r.ok && r.value.find((a) => a.id === activityId)?.outboxState === 'filed';
    },
    'offer filed',
    15_000,
  );
  const mail = smtp.received.find((m) => m.raw.includes(activityId));
  landing = LANDING.exec(mail?.html ?? '')?.[0] ?? '';
  expect(landing).not.toBe('');
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (t) removeDir(t.dataDir);
  await Promise.all([collectorClosed ? undefined : col?.close(), smtp?.close(), imap?.close()]);
});

/** the prospect ticks every box of the legal form and submits it, as the browser would */
async function confirmAll(): Promise<void> {
  const html = await (await fetch(landing, { headers: PROSPECT })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const boxes = [...html.matchAll(/name="(c_[a-z_]+)"/g)].map((m) => m[1]!);
  expect(csrf).toBeDefined();
  expect(boxes).toEqual([
    'c_cancellation_policy_read',
    'c_early_start',
    'c_commission_notice',
    'c_contact_permission',
  ]);
  // the Kontakterlaubnis is optional: every required box, not the optional one
  boxes.pop();
  const res = await fetch(`${landing}/confirm`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...PROSPECT,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ csrf: csrf!, ...Object.fromEntries(boxes.map((b) => [b, 'ja'])) }).toString(),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).not.toContain('fehler');
}

describe('an offer after sending: status and evidence', () => {
  it('knows the published offer and its status; an unknown activity is no offer', async () => {
    const s = await t.core.dispatch('offers.get', { activityId });
    if (!s.ok) throw new Error(JSON.stringify(s.error));
    expect(s.value).toMatchObject({ activityId, status: 'active' });
    expect(s.value.offerId).toMatch(/^[0-9a-f-]{36}$/);
    const none = await t.core.dispatch('offers.evidence', { activityId: 'gibt-es-nicht' });
    expect(!none.ok && deText(none.error.message)).toBe('Dieses Angebot gibt es nicht (mehr).');
  });

  it('returns each legal confirmation with its exact wording, a matching SHA-256 and the full IP', async () => {
    const before = await t.core.dispatch('offers.evidence', { activityId });
    expect(before.ok && before.value.evidence).toEqual([]);
    const html = await (await fetch(landing, { headers: PROSPECT })).text();
    await confirmAll();
    const r = await t.core.dispatch('offers.evidence', { activityId });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.evidence.map((e) => e.confirmation)).toEqual([
      'cancellation_policy_read',
      'early_start',
      'commission_notice',
    ]);
    for (const e of r.value.evidence) {
      expect(e).toMatchObject({
        recipientEmail: ANNA.email,
        recipientName: ANNA.name,
        ip: '198.51.100.23',
        wordingVerified: true,
      });
      expect(e.wordingSha256).toBe(sha256(e.wording));
      expect(Date.parse(e.confirmedAt)).toBeGreaterThan(Date.now() - 60_000);
    }
    // the wording is the sentence the prospect had in front of them
    expect(r.value.evidence[0]!.wording).toMatch(/^Ich habe die Widerrufsbelehrung \(Fassung Nr\. 1 vom/);
    expect(html).toContain(r.value.evidence[0]!.wording);
    // the property's own commission notice (from OpenImmo), quoted as shown
    expect(r.value.evidence[2]!.wording).toMatch(
      /^Ich habe zur Kenntnis genommen, dass ich als Käufer im Erfolgsfall eine Provision an .* zu zahlen habe. Provisionshinweis: Käuferprovision/,
    );
  });

  it('withdraws and marks sold on the collector: the landing page says so; the status survives a restart', async () => {
    const withdrawn = await t.core.dispatch('offers.status', { activityId, status: 'withdrawn' });
    expect(withdrawn.ok && withdrawn.value.status).toBe('withdrawn');
    let page = await fetch(landing, { headers: PROSPECT });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Der Anbieter hat das Angebot zurückgezogen.');

    const sold = await t.core.dispatch('offers.status', { activityId, status: 'sold' });
    expect(sold.ok && sold.value.status).toBe('sold');
    page = await fetch(landing, { headers: PROSPECT });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Alle Einheiten dieses Projekts sind vergeben');

    // evidence stays readable after the offer is gone from the prospect's view
    const ev = await t.core.dispatch('offers.evidence', { activityId });
    expect(ev.ok && ev.value.evidence).toHaveLength(3);

    const dataDir = t.dataDir;
    await t.close();
    t = await startTestCore({ mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true } }, dataDir);
    const again = await t.core.dispatch('offers.get', { activityId });
    expect(again.ok && again.value.status).toBe('sold');

    const active = await t.core.dispatch('offers.status', { activityId, status: 'active' });
    expect(active.ok && active.value.status).toBe('active');
    page = await fetch(landing, { headers: PROSPECT });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Anna Beispiel');
  }, 30_000);

  it("shows a status changed on the agent's other device when the panel opens", async () => {
    const s = await t.core.dispatch('offers.get', { activityId });
    if (!s.ok) throw new Error(JSON.stringify(s.error));
    // the other device: the same agent's token, straight on the collector
    const elsewhere = async (status: string) => {
      const r = await fetch(`${col.url}/api/v1/offers/${s.value.offerId}/status`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${col.agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      expect(r.status).toBe(200);
    };
    await elsewhere('withdrawn');
    const seen = await t.core.dispatch('offers.get', { activityId });
    expect(seen.ok && seen.value.status).toBe('withdrawn');
    await elsewhere('active');
    const back = await t.core.dispatch('offers.get', { activityId });
    expect(back.ok && back.value.status).toBe('active');
  });

  it('with the collector unreachable says so in German, and changes nothing locally', async () => {
    await col.close();
    collectorClosed = true;
    const r = await t.core.dispatch('offers.status', { activityId, status: 'withdrawn' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('collector_unreachable');
    expect(deText(r.error.message)).toBe(
      'Der Tracking-Server ist nicht erreichbar. Der Status des Angebots wurde nicht geändert. Bitte später erneut versuchen.',
    );
    // the panel still opens offline, with the status last known here
    const s = await t.core.dispatch('offers.get', { activityId });
    expect(s.ok && s.value.status).toBe('active');
    // the Nachweise open offline: the copy kept when the collector last answered, and why
    const ev = await t.core.dispatch('offers.evidence', { activityId });
    if (!ev.ok) throw new Error(JSON.stringify(ev.error));
    expect(ev.value.offline?.code).toBe('collector_unreachable');
    expect(deText(ev.value.offline?.message)).toBe(
      'Der Tracking-Server ist nicht erreichbar. Angezeigt werden die Nachweise, wie er sie zuletzt geliefert hat.',
    );
    expect(ev.value.evidence.map((e) => e.confirmation)).toEqual([
      'cancellation_policy_read',
      'early_start',
      'commission_notice',
    ]);
    expect(ev.value.evidence.every((e) => e.wordingVerified && e.ip === '198.51.100.23')).toBe(true);
    expect(Date.parse(ev.value.fetchedAt)).toBeLessThan(Date.now());

    // and after a restart of the app, still without the collector
    const dataDir = t.dataDir;
    await t.close();
    t = await startTestCore({ mailOptions: { connectTimeoutMs: 3000, allowSelfSigned: true } }, dataDir);
    const again = await t.core.dispatch('offers.evidence', { activityId });
    expect(again.ok && again.value.evidence).toHaveLength(3);
    expect(again.ok && again.value.fetchedAt).toBe(ev.value.fetchedAt);
  });
});
