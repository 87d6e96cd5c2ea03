import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { TrackingEvent } from '../../src-shared/events';
import { MailboxSignalResponse, mailboxEventId, sourceKeyOf } from '../../src-shared/mailbox';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, hitPixel, register } from './helpers';

/**
 * Issue 19, the collector's side: POST /api/v1/mailbox-signals records the fact as an event of the
 * message, idempotent by (message, recipient, kind, source mail), ordered with the tracking events
 * by seq. Runs on SQLite and (contract-pg) on PostgreSQL.
 */
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

const url = (): string => `${c.url}/api/v1/mailbox-signals`;

async function pull(token: string, after = 0): Promise<EventsResponse> {
  const r = await call(`${c.url}/api/v1/events?after=${after}&limit=1000`, { token });
  expect(r.status).toBe(200);
  return EventsResponse.parse(r.body);
}

describe('POST /api/v1/mailbox-signals', () => {
  it('records a reply once however often (and by however many desktops) it is reported', async () => {
    const reg = await register(c, c.agentToken);
    const sourceKey = sourceKeyOf('<antwort-1@interessent.example>');
    const body = {
      messageId: reg.messageId,
      recipientEmail: 'Anna@Interessent.example',
      kind: 'replied',
      occurredAt: '2026-12-06T10:00:00+01:00',
      sourceKey,
    };
    const first = await call(url(), { token: c.agentToken, body });
    expect(first.status).toBe(201);
    const a = MailboxSignalResponse.parse(first.body);
    expect(a.created).toBe(true);
    expect(a.event).toMatchObject({
      type: 'mail.replied',
      messageId: reg.messageId,
      recipientEmail: 'anna@interessent.example',
      occurredAt: '2026-12-06T09:00:00.000Z',
      detail: {},
    });
    expect(a.event.id).toBe(mailboxEventId(reg.messageId, 'anna@interessent.example', 'replied', sourceKey));
    // the same fact from a second desktop, concurrently with a third
    const again = await Promise.all([
      call(url(), { token: c.agentToken, body }),
      call(url(), { token: c.adminToken, body }),
    ]);
    for (const r of again) {
      expect(r.status).toBe(200);
      const x = MailboxSignalResponse.parse(r.body);
      expect(x.created).toBe(false);
      expect(x.event.id).toBe(a.event.id);
      expect(x.event.seq).toBe(a.event.seq);
    }
    const events = (await pull(c.agentToken)).events.filter((e) => e.messageId === reg.messageId);
    expect(events.filter((e) => e.type === 'mail.replied')).toHaveLength(1);
    // the wire event is the strict TrackingEvent
    for (const e of events) TrackingEvent.parse(e);
  });

  it('orders a bounce with the tracking events by seq and keeps only its status code', async () => {
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl);
    const r = await call(url(), {
      token: c.agentToken,
      body: {
        messageId: reg.messageId,
        recipientEmail: 'niemand@interessent.example',
        kind: 'bounced',
        occurredAt: new Date().toISOString(),
        sourceKey: sourceKeyOf('<dsn-1@mx.example>'),
        status: '5.1.1',
      },
    });
    expect(r.status).toBe(201);
    const bounce = MailboxSignalResponse.parse(r.body).event;
    expect(bounce.detail).toEqual({ status: '5.1.1' });
    expect(bounce.client.verdict).toBe('human');
    expect(bounce.client.reasons).toEqual(['mailbox.bounced']);
    // a later pixel hit gets a higher seq: one sequence for both kinds
    await hitPixel(reg.trackers[0]!.pixelUrl);
    let page = await pull(c.agentToken);
    for (let i = 0; i < 50 && page.events.filter((e) => e.messageId === reg.messageId).length < 3; i++) {
      await new Promise((res) => setTimeout(res, 100));
      page = await pull(c.agentToken);
    }
    const mine = page.events.filter((e) => e.messageId === reg.messageId);
    expect(mine.map((e) => e.type)).toEqual(['email.opened', 'mail.bounced', 'email.opened']);
    const seqs = mine.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('refuses content-like or malformed input, and messages of others', async () => {
    const reg = await register(c, c.agentToken);
    const base = {
      messageId: reg.messageId,
      recipientEmail: 'anna@interessent.example',
      kind: 'replied',
      occurredAt: new Date().toISOString(),
      sourceKey: sourceKeyOf('<x@y>'),
    };
    for (const bad of [
      { ...base, subject: 'Re: Wohnung' },
      { ...base, kind: 'read' },
      { ...base, sourceKey: '<x@y>' },
      { ...base, status: '5.1.1' },
      { ...base, kind: 'bounced', status: 'User unknown' },
      { ...base, occurredAt: 'gestern' },
    ]) {
      const r = await call(url(), { token: c.agentToken, body: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call(url(), { body: base })).status).toBe(401);
    const unknown = await call(url(), { token: c.agentToken, body: { ...base, messageId: 'nope' } });
    expect(unknown.status).toBe(404);
    // the admin's own message is not the agent's to report on
    const adminReg = await register(c, c.adminToken);
    const foreign = await call(url(), { token: c.agentToken, body: { ...base, messageId: adminReg.messageId } });
    expect(foreign.status).toBe(404);
  });

  it('records nothing while the account switch is off', async () => {
    const reg = await register(c, c.agentToken);
    await call(`${c.url}/api/v1/settings`, {
      method: 'PUT',
      token: c.adminToken,
      body: { trackingEnabled: false },
    });
    try {
      const r = await call(url(), {
        token: c.agentToken,
        body: {
          messageId: reg.messageId,
          recipientEmail: null,
          kind: 'auto_replied',
          occurredAt: new Date().toISOString(),
          sourceKey: sourceKeyOf('<ooo@y>'),
        },
      });
      expect(r.status).toBe(403);
      expect((r.body as { error: { code: string } }).error.code).toBe('tracking_disabled');
    } finally {
      await call(`${c.url}/api/v1/settings`, {
        method: 'PUT',
        token: c.adminToken,
        body: { trackingEnabled: true },
      });
    }
  });
});
