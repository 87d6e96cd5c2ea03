import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse, RegisterMessageResponse, Settings } from '../../src-shared/api';
import { ContactConsent, ContactConsentPage } from '../../src-shared/consent';
import { sha256Hex } from '../../src-shared/evidence/canonical';
import { startTestCollector, type TestCollector } from '../support/collector';
import { publishSample, RECIPIENTS } from '../offers/helpers';
import { call, hitPixel, register } from './helpers';

/**
 * Issue 17, the collector's side of consent: it decides per recipient whatever the desktop asks,
 * serves the consent and withdrawal pages, keeps consents as evidence with the full IP, and
 * silences trackers of earlier mails once a contact may no longer be tracked. Runs on SQLite and
 * (contract-pg) on PostgreSQL.
 */
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

let n = 0;
const fresh = (name: string) => `${name}-${++n}@kunde.example`;

async function setMode(email: string, mode: string | null): Promise<ContactConsent> {
  const r = await call(`${c.url}/api/v1/contacts/consent`, {
    method: 'PUT',
    token: c.agentToken,
    body: { email, mode },
  });
  expect(r.status).toBe(200);
  return ContactConsent.parse(r.body);
}

async function putSettings(body: Partial<Settings>): Promise<Settings> {
  const r = await call(`${c.url}/api/v1/settings`, { method: 'PUT', token: c.adminToken, body });
  expect(r.status, r.text).toBe(200);
  return Settings.parse(r.body);
}

async function events(after = 0): Promise<EventsResponse> {
  const r = await call(`${c.url}/api/v1/events?after=${after}&limit=5000`, { token: c.adminToken });
  return EventsResponse.parse(r.body);
}

async function eventsOf(messageId: string) {
  return (await events()).events.filter((e) => e.messageId === messageId);
}

/** opens the page like a browser following the link, then submits its form like one */
async function submitPage(url: string): Promise<Response> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  const text = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
  expect(csrf).toBeTruthy();
  const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1] as string;
  return fetch(new URL(action, url), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      'user-agent': 'Consent-Test/1',
    },
    body: new URLSearchParams({ csrf: csrf as string }).toString(),
    redirect: 'manual',
  });
}

describe('consent per contact', () => {
  it('refuses tracking for a „nie tracken“ contact even when the desktop asks, and says why', async () => {
    const never = fresh('nie');
    const other = fresh('ok');
    await setMode(never, 'never');
    const reg = RegisterMessageResponse.parse(
      await register(c, c.agentToken, { recipients: [{ email: never.toUpperCase() }, { email: other }] }),
    );
    expect(reg.trackers.map((t) => t.recipientEmail)).toEqual([other]);
    expect(reg.recipients).toEqual([
      { email: never.toUpperCase(), tracked: false, reason: 'contact_never', opens: false, clicks: false },
      { email: other, tracked: true, reason: null, opens: true, clicks: true },
    ]);
    // one copy for both: not tracked at all, the trackable one is told why
    const shared = await register(c, c.agentToken, {
      sentIndividually: false,
      recipients: [{ email: other }, { email: never }],
    });
    expect(shared.trackers).toEqual([]);
    expect(shared.recipients?.map((r) => [r.tracked, r.reason])).toEqual([
      [false, 'shared_copy'],
      [false, 'contact_never'],
    ]);
  });

  it('silences the pixel of a mail sent before the contact was set to „nie tracken“', async () => {
    const email = fresh('spaeter-nie');
    const reg = await register(c, c.agentToken, { recipients: [{ email }] });
    const pixel = reg.trackers[0]?.pixelUrl as string;
    await hitPixel(pixel);
    expect((await eventsOf(reg.messageId)).map((e) => e.type)).toEqual(['email.opened']);
    await setMode(email, 'never');
    const r = await hitPixel(pixel);
    expect(r.status).toBe(200); // the same GIF: the pixel reveals nothing
    expect((await eventsOf(reg.messageId)).map((e) => e.type)).toEqual(['email.opened']);
  });

  it('„nur nach Einwilligung“: consent link first, tracked after consent, untracked after withdrawal', async () => {
    const email = fresh('einwilligung');
    await setMode(email, 'after_consent');
    const first = await register(c, c.agentToken, { recipients: [{ email, name: 'Anna Beispiel' }] });
    expect(first.trackers).toEqual([]);
    const rec = first.recipients?.[0];
    expect(rec).toMatchObject({ tracked: false, reason: 'consent_missing' });
    const consentUrl = rec?.consentUrl as string;
    expect(consentUrl).toMatch(/\/e\/[A-Za-z0-9_-]{22,}$/);

    // a forged POST (no CSRF token) changes nothing
    const forged = await fetch(consentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=x',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);

    const page = await (await fetch(consentUrl)).text();
    expect(page).toContain('Ich willige ein');
    expect(page).toContain('Testmakler GmbH');
    const posted = await submitPage(consentUrl);
    expect(posted.status).toBe(303);
    const sync = ContactConsentPage.parse(
      (await call(`${c.url}/api/v1/contacts/consent?after=0`, { token: c.agentToken })).body,
    );
    const mine = sync.contacts.filter((x) => x.email === email);
    expect(mine.at(-1)).toMatchObject({ mode: 'after_consent', state: 'given' });

    // the consent is evidence: exact wording, its hash, the full IP
    const records = await c.collector.store.consentsForChain(c.accountId, new Set(), 1000);
    const given = records.find((r) => r.emailLower === email && r.kind === 'given');
    expect(given?.ip).toBe('127.0.0.1');
    expect(given?.wordingSha256).toBe(sha256Hex(given?.wording ?? ''));
    expect(given?.wording).toContain('Testmakler GmbH');
    expect(given?.userAgent).toBe('Consent-Test/1');
    // and an event of the message, for the feed
    const consentEvents = (await eventsOf(first.messageId)).filter((e) => e.type === 'consent.given');
    expect(consentEvents).toHaveLength(1);
    expect(consentEvents[0]?.detail.wordingSha256).toBe(given?.wordingSha256);

    const second = await register(c, c.agentToken, { recipients: [{ email }] });
    expect(second.recipients?.[0]).toMatchObject({ tracked: true, reason: null });
    const pixel = second.trackers[0]?.pixelUrl as string;
    await hitPixel(pixel);
    expect((await eventsOf(second.messageId)).map((e) => e.type)).toEqual(['email.opened']);

    // withdrawal through the same link's page
    const withdrawn = await submitPage(`${consentUrl}/widerruf`);
    expect(withdrawn.status).toBe(303);
    await hitPixel(pixel);
    expect((await eventsOf(second.messageId)).map((e) => e.type)).toEqual(['email.opened']);
    const third = await register(c, c.agentToken, { recipients: [{ email }] });
    expect(third.trackers).toEqual([]);
    expect(third.recipients?.[0]).toMatchObject({ tracked: false, reason: 'consent_withdrawn' });
    // the agent cannot override the prospect's withdrawal
    await setMode(email, 'always');
    const fourth = await register(c, c.agentToken, { recipients: [{ email }] });
    expect(fourth.recipients?.[0]).toMatchObject({ tracked: false, reason: 'consent_withdrawn' });
    const kinds = (await c.collector.store.consentsForChain(c.accountId, new Set(), 1000))
      .filter((r) => r.emailLower === email)
      .map((r) => r.kind);
    expect(kinds).toEqual(['given', 'withdrawn']);
  });

  it('one recipient sent „as one message“: the shared tracker carries their consent link', async () => {
    const email = fresh('einzeln-geteilt');
    await setMode(email, 'after_consent');
    const reg = await register(c, c.agentToken, { sentIndividually: false, recipients: [{ email }] });
    expect(reg.trackers).toEqual([]);
    const url = reg.recipients?.[0]?.consentUrl as string;
    expect(url).toBeTruthy();
    expect((await submitPage(url)).status).toBe(303);
    const again = await register(c, c.agentToken, { sentIndividually: false, recipients: [{ email }] });
    expect(again.trackers).toHaveLength(1);
  });

  it('a shared tracker names no person: no consent page for it', async () => {
    const reg = await register(c, c.agentToken, {
      sentIndividually: false,
      recipients: [{ email: fresh('a') }, { email: fresh('b') }],
    });
    const token = /\/o\/([^.]+)\.gif$/.exec(reg.trackers[0]?.pixelUrl ?? '')?.[1];
    const r = await fetch(`${c.url}/e/${token}`);
    expect(r.status).toBe(404);
  });

  it('contacts sync by version: a desktop pulls only what changed after its cursor', async () => {
    const a = await setMode(fresh('sync'), 'never');
    const b = await setMode(fresh('sync'), 'after_consent');
    expect(b.version).toBeGreaterThan(a.version);
    const page = ContactConsentPage.parse(
      (await call(`${c.url}/api/v1/contacts/consent?after=${a.version}`, { token: c.agentToken })).body,
    );
    expect(page.contacts.map((x) => x.email)).toEqual([b.email]);
    expect(page.next).toBe(b.version);
    const bad = await call(`${c.url}/api/v1/contacts/consent`, {
      method: 'PUT',
      token: c.agentToken,
      body: { email: 'x@y.example', mode: 'sometimes' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('account switches for opens, clicks and landing analytics', () => {
  it('no pixel with opens off, no rewritten links with clicks off; nothing recorded either way', async () => {
    const email = fresh('switch');
    const before = await register(c, c.agentToken, { recipients: [{ email }] });
    const s = await putSettings({ trackOpens: false, trackClicks: false, withdrawalLink: true });
    expect(s).toMatchObject({
      trackOpens: false,
      trackClicks: false,
      trackLanding: true,
      withdrawalLink: true,
      trackingEnabled: true,
    });
    try {
      const reg = await register(c, c.agentToken, { recipients: [{ email }] });
      const t = reg.trackers[0];
      expect(t?.pixel).toBe(false);
      expect(t?.links).toEqual([]);
      expect(t?.honeypotUrl).toBeUndefined();
      expect(t?.withdrawUrl).toMatch(/\/e\/[A-Za-z0-9_-]+\/widerruf$/);
      expect(reg.recipients?.[0]).toMatchObject({ tracked: true, opens: false, clicks: false });
      // an earlier mail's pixel and link record nothing now; the link still leads on
      await hitPixel(before.trackers[0]?.pixelUrl as string);
      const click = await fetch(before.trackers[0]?.links[0]?.trackedUrl as string, { redirect: 'manual' });
      expect(click.status).toBe(302);
      expect(await eventsOf(before.messageId)).toEqual([]);
      const settings = Settings.parse((await call(`${c.url}/api/v1/settings`, { token: c.agentToken })).body);
      expect(settings.trackOpens).toBe(false);
    } finally {
      await putSettings({ trackOpens: true, trackClicks: true, withdrawalLink: false });
    }
    await hitPixel(before.trackers[0]?.pixelUrl as string);
    expect((await eventsOf(before.messageId)).map((e) => e.type)).toEqual(['email.opened']);
  });

  it('landing analytics off: no visit recorded, the Widerrufsbelehrung opened and the Exposé download still are', async () => {
    const pub = await publishSample(c, c.agentToken, 'https://makler.example');
    const url = pub.landing.get(RECIPIENTS[0]!.email) as string;
    await putSettings({ trackLanding: false });
    try {
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(`${url}/widerruf`)).status).toBe(200);
      await expect
        .poll(async () => (await eventsOf(pub.message.messageId)).map((e) => e.type))
        .toEqual(['landing.cancellation_policy_opened']);
      // a contact „nie tracken“: evidence still recorded, analytics not
      await setMode(RECIPIENTS[0]!.email, 'never');
      await putSettings({ trackLanding: true });
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(`${url}/widerruf`)).status).toBe(200);
      await expect
        .poll(async () => (await eventsOf(pub.message.messageId)).map((e) => e.type))
        .toEqual(['landing.cancellation_policy_opened', 'landing.cancellation_policy_opened']);
    } finally {
      await putSettings({ trackLanding: true });
      await setMode(RECIPIENTS[0]!.email, null);
    }
  });

  it('only an admin changes the switches', async () => {
    const r = await call(`${c.url}/api/v1/settings`, {
      method: 'PUT',
      token: c.agentToken,
      body: { trackOpens: false },
    });
    expect(r.status).toBe(403);
  });
});
