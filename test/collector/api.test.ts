import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOfWireRow, wireRowOfEvent } from '../../src-shared/event-rows';
import { EventsResponse, MeResponse, RegisterMessageResponse } from '../../src-shared/api';
import { TrackingEvent } from '../../src-shared/events';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, hitPixel, register } from './helpers';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

const api = (path: string): string => `${c.url}/api/v1${path}`;

describe('authentication', () => {
  it('GET /me answers the caller', async () => {
    const r = await call(api('/me'), { token: c.agentToken });
    expect(r.status).toBe(200);
    const me = MeResponse.parse(r.body);
    expect(me).toMatchObject({
      userId: c.agentUserId,
      accountId: c.accountId,
      role: 'agent',
      email: 'agent@makler.example',
    });
  });

  it.each([
    ['no header', undefined],
    ['malformed', 'Bearer x'],
    ['not bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['well-formed but unknown', `Bearer blz_${'A'.repeat(43)}`],
    ['token with SQL', "Bearer ' OR 1=1 --"],
  ])('401 with the JSON error shape: %s', async (_name, header) => {
    const r = await call(api('/me'), { headers: header ? { authorization: header } : {} });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });
});

describe('settings', () => {
  it('tracking is on by default; only an admin may change it', async () => {
    const g = await call(api('/settings'), { token: c.agentToken });
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ trackingEnabled: true, sharesNetworkWithProspects: false });
    const denied = await call(api('/settings'), {
      method: 'PUT',
      token: c.agentToken,
      body: { trackingEnabled: false },
    });
    expect(denied.status).toBe(403);
    expect((denied.body as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await call(api('/settings'), { token: c.adminToken })).body).toMatchObject({
      trackingEnabled: true,
      sharesNetworkWithProspects: false,
    });
  });

  it.each([
    ['unknown field', { trackingEnabled: true, colour: 'red' }, 400],
    ['wrong type', { trackingEnabled: 'yes' }, 400],
  ])('PUT rejects %s', async (_n, body, status) => {
    const r = await call(api('/settings'), { method: 'PUT', token: c.adminToken, body });
    expect(r.status).toBe(status);
    expect((r.body as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('PUT rejects invalid JSON and a wrong content type with JSON errors', async () => {
    const bad = await call(api('/settings'), {
      method: 'PUT',
      token: c.adminToken,
      rawBody: '{"trackingEnabled": tru',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string } }).error.code).toBe('invalid_json');
    const wrong = await call(api('/settings'), {
      method: 'PUT',
      token: c.adminToken,
      rawBody: 'trackingEnabled=false',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.status).toBe(415);
    expect((wrong.body as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });
});

describe('POST /messages', () => {
  it('sent individually: one tracker per recipient, links in order', async () => {
    const links = ['https://makler.example/a', 'http://makler.example/b?x=1&y=2#frag'];
    const r = await register(c, c.agentToken, {
      recipients: [{ email: 'anna@kunde.example', name: 'Anna' }, { email: 'bernd@kunde.example' }],
      links,
    });
    RegisterMessageResponse.parse(r);
    expect(r.trackers.map((t) => t.recipientEmail)).toEqual(['anna@kunde.example', 'bernd@kunde.example']);
    const [t0, t1] = r.trackers;
    expect(t0?.pixelUrl).toMatch(new RegExp(`^${c.publicUrl}/o/[A-Za-z0-9_-]{22,64}\\.gif$`));
    expect(t0?.pixelUrl).not.toBe(t1?.pixelUrl);
    expect(t0?.links.map((l) => l.url)).toEqual(links);
    expect(t0?.links[1]?.trackedUrl).toMatch(/\/c\/[A-Za-z0-9_-]+\/1$/);
    // the honeypot: the tracker's own click URL one index past its real links, the same shape
    for (const t of r.trackers) {
      expect(t.honeypotUrl).toBe(t.links[0]!.trackedUrl.replace(/\/0$/, `/${links.length}`));
    }
    expect(t0?.honeypotUrl).not.toBe(t1?.honeypotUrl);
  });

  it('one message to several recipients: one shared tracker with recipientEmail null', async () => {
    const r = await register(c, c.agentToken, {
      sentIndividually: false,
      recipients: [{ email: 'a@kunde.example' }, { email: 'b@kunde.example' }],
    });
    expect(r.trackers).toHaveLength(1);
    expect(r.trackers[0]?.recipientEmail).toBeNull();
  });

  it('is idempotent by clientId: the same answer, one registration', async () => {
    const clientId = `idem-${Date.now()}`;
    const before = EventsResponse.parse(
      (await call(api('/events?after=0&limit=1000'), { token: c.agentToken })).body,
    );
    const a = await register(c, c.agentToken, { clientId });
    const b = await register(c, c.agentToken, { clientId, recipients: [{ email: 'other@kunde.example' }] });
    expect(b).toEqual(a);
    expect(b.trackers[0]!.honeypotUrl).toMatch(/\/c\/[A-Za-z0-9_-]+\/1$/);
    expect(b.trackers[0]!.honeypotUrl).toBe(a.trackers[0]!.honeypotUrl);
    const after = EventsResponse.parse(
      (await call(api(`/events?after=${before.next}&limit=1000`), { token: c.agentToken })).body,
    );
    expect(after.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it.each([
    ['javascript:alert(1)'],
    ['/relative/path'],
    ['ftp://files.example/x'],
    ['mailto:someone@example.org'],
    ['not a url'],
  ])('refuses the link %s with 400 naming it', async (link) => {
    const r = await call(api('/messages'), {
      token: c.agentToken,
      body: {
        clientId: 'bad-link',
        subject: 's',
        sentIndividually: false,
        recipients: [{ email: 'a@kunde.example' }],
        links: ['https://ok.example/', link],
      },
    });
    expect(r.status).toBe(400);
    const msg = (r.body as { error: { code: string; message: string } }).error;
    expect(msg.code).toBe('invalid_request');
    expect(msg.message).toContain('links.1');
    expect(msg.message).toContain(link);
  });

  it.each([
    ['unknown field', { extra: 1 }],
    ['no recipients', { recipients: [] }],
    ['bad email', { recipients: [{ email: 'nope' }] }],
    ['missing clientId', { clientId: undefined }],
  ])('400 for %s', async (_n, patch) => {
    const body = {
      clientId: 'x',
      subject: 's',
      sentIndividually: false,
      recipients: [{ email: 'a@kunde.example' }],
      links: [],
      ...patch,
    };
    const r = await call(api('/messages'), { token: c.agentToken, body });
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('413 JSON for an oversize body, 431 JSON for oversize headers, 404 JSON for unknown routes', async () => {
    const big = await call(api('/messages'), {
      token: c.agentToken,
      rawBody: JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect((big.body as { error: { code: string } }).error.code).toBe('body_too_large');
    const hdr = await call(api('/me'), { token: c.agentToken, headers: { 'x-pad': 'y'.repeat(20_000) } });
    expect(hdr.status).toBe(431);
    expect((hdr.body as { error: { code: string } }).error.code).toBe('headers_too_large');
    const nf = await call(api('/nothing'), { token: c.agentToken });
    expect(nf.status).toBe(404);
    expect((nf.body as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('GET /events', () => {
  it.each([
    ['limit too large', 'limit=100000'],
    ['negative after', 'after=-1'],
    ['non-numeric after', 'after=abc'],
    ['fractional limit', 'limit=1.5'],
    ['unknown parameter', 'foo=1'],
    ['repeated parameter', 'after=1&after=2'],
    ['unknown shape', 'shape=columns'],
  ])('400 for %s', async (_n, qs) => {
    const r = await call(api(`/events?${qs}`), { token: c.agentToken });
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('pages through events and registrations of one shared sequence, oldest first', async () => {
    const fresh = await startTestCollector();
    try {
      const reg = await register(fresh, fresh.agentToken);
      for (let i = 0; i < 5; i++) await hitPixel(reg.trackers[0]!.pixelUrl);
      const seen: number[] = [];
      let after = 0;
      let pages = 0;
      for (;;) {
        const r = await call(`${fresh.url}/api/v1/events?after=${after}&limit=2`, {
          token: fresh.agentToken,
        });
        const page = EventsResponse.parse(r.body);
        const seqs = [...page.events.map((e) => e.seq), ...page.messages.map((m) => m.seq)].sort(
          (a, b) => a - b,
        );
        if (seqs.length === 0) {
          expect(page.next).toBe(after);
          break;
        }
        expect(seqs.length).toBeLessThanOrEqual(2);
        expect(page.next).toBe(seqs[seqs.length - 1]);
        seen.push(...seqs);
        after = page.next;
        pages++;
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      expect(pages).toBe(3);
    } finally {
      await fresh.close();
    }
  });

  it('shape=rows: the same page with each event as its row (a first sync asks for it)', async () => {
    const fresh = await startTestCollector();
    try {
      const reg = await register(fresh, fresh.agentToken);
      for (let i = 0; i < 3; i++) await hitPixel(reg.trackers[0]!.pixelUrl);
      const url = (shape: string): string => `${fresh.url}/api/v1/events?after=0&limit=10${shape}`;
      const events = EventsResponse.parse((await call(url(''), { token: fresh.agentToken })).body);
      const r = await call(url('&shape=rows'), { token: fresh.agentToken });
      expect(r.status).toBe(200);
      const { rows, ...rest } = r.body as { rows: unknown[] } & Record<string, unknown>;
      expect(Object.keys(r.body as object)).not.toContain('events');
      expect(events.events).toHaveLength(3);
      expect(rows).toEqual(events.events.map(wireRowOfEvent));
      expect(rows.map(eventOfWireRow)).toEqual(events.events);
      expect(rest).toEqual({ messages: events.messages, next: events.next, lastSeq: events.lastSeq });
    } finally {
      await fresh.close();
    }
  });
});

describe('POST /events/:id/verdict', () => {
  it('stores the correction, keeps the original, and moves the event to a new seq', async () => {
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl);
    const all = EventsResponse.parse((await call(api('/events?limit=1000'), { token: c.agentToken })).body);
    const ev = all.events.find((e) => e.messageId === reg.messageId)!;
    // whatever the classifier said, the agent says something else
    const original = ev.client.verdict;
    const corrected = original === 'preview' ? 'scanner' : 'preview';
    const r = await call(api(`/events/${ev.id}/verdict`), {
      token: c.agentToken,
      body: { verdict: corrected },
    });
    expect(r.status).toBe(200);
    const updated = TrackingEvent.parse(r.body);
    expect(updated.client).toMatchObject({ verdict: corrected, correctedFrom: original });
    expect(updated.seq).toBeGreaterThan(all.next);
    const next = EventsResponse.parse(
      (await call(api(`/events?after=${all.next}`), { token: c.adminToken })).body,
    );
    expect(next.events.find((e) => e.id === ev.id)?.client.verdict).toBe(corrected);
    // correcting back to the original clears the mark
    const back = TrackingEvent.parse(
      (await call(api(`/events/${ev.id}/verdict`), { token: c.agentToken, body: { verdict: original } }))
        .body,
    );
    expect(back.client.correctedFrom).toBeUndefined();
  });

  it('400 for an unknown verdict or extra fields, 404 for an unknown event', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    expect(
      (await call(api(`/events/${id}/verdict`), { token: c.agentToken, body: { verdict: 'robot' } })).status,
    ).toBe(400);
    expect(
      (await call(api(`/events/${id}/verdict`), { token: c.agentToken, body: { verdict: 'human', x: 1 } }))
        .status,
    ).toBe(400);
    const nf = await call(api(`/events/${id}/verdict`), { token: c.agentToken, body: { verdict: 'human' } });
    expect(nf.status).toBe(404);
    expect((nf.body as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('tracking switch', () => {
  it('off: registration refused with tracking_disabled and hits are not recorded; on again: recorded', async () => {
    const fresh = await startTestCollector();
    try {
      const reg = await register(fresh, fresh.agentToken);
      const put = (v: boolean) =>
        call(`${fresh.url}/api/v1/settings`, {
          method: 'PUT',
          token: fresh.adminToken,
          body: { trackingEnabled: v },
        });
      expect((await put(false)).body).toMatchObject({
        trackingEnabled: false,
        sharesNetworkWithProspects: false,
      });
      const refused = await call(`${fresh.url}/api/v1/messages`, {
        token: fresh.agentToken,
        body: {
          clientId: 'off',
          subject: 's',
          sentIndividually: false,
          recipients: [{ email: 'a@b.example' }],
          links: [],
        },
      });
      expect(refused.status).toBe(403);
      expect((refused.body as { error: { code: string } }).error.code).toBe('tracking_disabled');
      const px = await hitPixel(reg.trackers[0]!.pixelUrl);
      expect(px.status).toBe(200);
      const click = await fetch(reg.trackers[0]!.links[0]!.trackedUrl, { redirect: 'manual' });
      expect(click.status).toBe(302);
      const pull = () =>
        call(`${fresh.url}/api/v1/events`, { token: fresh.adminToken }).then((r) =>
          EventsResponse.parse(r.body),
        );
      expect((await pull()).events).toHaveLength(0);
      await put(true);
      await hitPixel(reg.trackers[0]!.pixelUrl);
      expect((await pull()).events).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /openapi.json', () => {
  it('documents every API route with the request schemas the routes validate with', async () => {
    const r = await call<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>(api('/openapi.json'));
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths).sort()).toEqual(
      [
        '/api/v1/events',
        '/api/v1/events/stream',
        '/api/v1/events/{id}/verdict',
        '/api/v1/me',
        '/api/v1/messages',
        '/api/v1/offers',
        '/api/v1/offers/{id}/evidence',
        '/api/v1/offers/{id}/status',
        '/api/v1/settings',
        '/api/v1/declarations/open',
        '/api/v1/declarations/{id}/claim',
        '/api/v1/declarations/{id}/sent',
        '/api/v1/landing-locks/settings',
        '/api/v1/landing-locks/properties/{key}',
        '/api/v1/landing-locks/contacts',
        '/api/v1/landing-locks/deals',
        '/api/v1/evidence',
        '/api/v1/mailbox-signals',
        '/api/v1/tracking-domain',
        '/api/v1/tracking-domain/verify',
        '/api/v1/contacts/consent',
        // issue 17 part 2 (docs/privacy.md)
        '/api/v1/events/deleted',
        '/api/v1/privacy/settings',
        '/api/v1/privacy/holds',
        '/api/v1/privacy/holds/lift',
        '/api/v1/privacy/subject',
        '/api/v1/privacy/subject/erase',
      ].sort(),
    );
    const evidence = JSON.stringify(r.body.paths['/api/v1/evidence']?.get);
    for (const field of ['email', 'offerId', 'format', 'records', 'segments', 'heads', 'manifestSignature'])
      expect(evidence).toContain(field);
    const body = JSON.stringify(r.body.paths['/api/v1/messages']?.post?.requestBody);
    for (const field of ['clientId', 'sentIndividually', 'recipients', 'links'])
      expect(body).toContain(field);
    expect(r.body.paths['/api/v1/settings']?.put).toBeDefined();
    // issue 20: the tracking domain, read by anyone of the account, set and removed by an admin
    const domain = r.body.paths['/api/v1/tracking-domain'];
    expect(Object.keys(domain ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(JSON.stringify(domain?.put?.requestBody)).toContain('host');
    expect(JSON.stringify(domain?.get)).toContain('certbotWebroot');
    expect(JSON.stringify(domain?.get)).toContain('lastCheck');
    expect(r.body.paths['/api/v1/tracking-domain/verify']?.post).toBeDefined();
    const erase = JSON.stringify(r.body.paths['/api/v1/privacy/subject/erase']?.post);
    for (const field of ['email', 'reason', 'erased', 'kept', 'hold']) expect(erase).toContain(field);
  });
});
