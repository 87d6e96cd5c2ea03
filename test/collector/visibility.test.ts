import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse } from '../../src-shared/api';
import { createAccount, createUser } from '../../src-collector/server';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, hitPixel, openStream, register } from './helpers';

let c: TestCollector;
let otherAdmin: string;
let secondAgent: string;
let otherMessageId: string;

beforeAll(async () => {
  c = await startTestCollector({ heartbeatMs: 100 });
  const other = await createAccount(c.collector.store, 'Konkurrenz AG');
  otherAdmin = (
    await createUser(c.collector.store, {
      accountId: other.id,
      email: 'b@x.example',
      name: 'B',
      role: 'admin',
    })
  ).token;
  secondAgent = (
    await createUser(c.collector.store, {
      accountId: c.accountId,
      email: 'a2@makler.example',
      name: 'A2',
      role: 'agent',
    })
  ).token;
  const regOther = await register(c, otherAdmin, { clientId: 'other-1' });
  otherMessageId = regOther.messageId;
  await hitPixel(regOther.trackers[0]!.pixelUrl);
});
afterAll(async () => {
  await c?.close();
});

const pull = async (token: string) =>
  EventsResponse.parse((await call(`${c.url}/api/v1/events?limit=1000`, { token })).body);

describe('who sees what', () => {
  it('an agent sees their own messages and events, an admin the whole account, nobody the other account', async () => {
    const mine = await register(c, c.agentToken, { clientId: 'shared-client-id' });
    const theirs = await register(c, secondAgent, { clientId: 'shared-client-id' });
    expect(theirs.messageId).not.toBe(mine.messageId);
    await hitPixel(mine.trackers[0]!.pixelUrl);
    await hitPixel(theirs.trackers[0]!.pixelUrl);

    const agent = await pull(c.agentToken);
    expect(agent.messages.map((m) => m.messageId)).toEqual([mine.messageId]);
    expect(agent.events.map((e) => e.messageId)).toEqual([mine.messageId]);

    const admin = await pull(c.adminToken);
    expect(new Set(admin.messages.map((m) => m.messageId))).toEqual(
      new Set([mine.messageId, theirs.messageId]),
    );
    expect(admin.events).toHaveLength(2);

    const foreign = await pull(otherAdmin);
    expect(foreign.messages.map((m) => m.messageId)).toEqual([otherMessageId]);
    expect(foreign.events.every((e) => e.messageId === otherMessageId)).toBe(true);
    // seqs are per account: the other account's counter is independent
    expect(foreign.messages[0]?.seq).toBe(1);
  });

  it('no event of another account or another agent can be corrected, whatever id is guessed', async () => {
    const foreign = await pull(otherAdmin);
    const foreignEvent = foreign.events[0]!;
    for (const token of [c.adminToken, c.agentToken]) {
      const r = await call(`${c.url}/api/v1/events/${foreignEvent.id}/verdict`, {
        token,
        body: { verdict: 'scanner' },
      });
      expect(r.status).toBe(404);
    }
    const adminEvents = (await pull(c.adminToken)).events;
    const agentOwn = new Set((await pull(c.agentToken)).events.map((e) => e.id));
    const othersEvent = adminEvents.find((e) => !agentOwn.has(e.id));
    if (!othersEvent) throw new Error('the second agent has no event to aim at');
    const r = await call(`${c.url}/api/v1/events/${othersEvent.id}/verdict`, {
      token: c.agentToken,
      body: { verdict: 'scanner' },
    });
    expect(r.status).toBe(404);
    for (const guess of ["' OR '1'='1", '1; DROP TABLE events', '%00', 'x'.repeat(100)]) {
      const g = await call(`${c.url}/api/v1/events/${encodeURIComponent(guess)}/verdict`, {
        token: c.adminToken,
        body: { verdict: 'scanner' },
      });
      expect([400, 404]).toContain(g.status);
    }
    // the foreign event is untouched
    expect((await pull(otherAdmin)).events[0]?.client.verdict).toBe(foreignEvent.client.verdict);
  });

  it('a stream carries nothing of another account or another agent', async () => {
    const s = openStream(`${c.url}/api/v1/events/stream`, otherAdmin);
    await s.ready;
    expect(s.status).toBe(200);
    await s.waitFor(() => s.frames.length >= 2); // its own message + event
    const before = s.frames.length;
    const mine = await register(c, c.agentToken);
    await hitPixel(mine.trackers[0]!.pixelUrl);
    const heartbeats = s.comments;
    await s.waitFor(() => s.comments >= heartbeats + 3); // the other account's commits had time to arrive
    expect(s.frames.length).toBe(before);
    s.close();

    const agent2 = openStream(`${c.url}/api/v1/events/stream`, secondAgent);
    await agent2.ready;
    const own = await register(c, secondAgent);
    await hitPixel(mine.trackers[0]!.pixelUrl);
    await hitPixel(own.trackers[0]!.pixelUrl);
    await agent2.waitFor(() =>
      agent2.frames.some((f) => f.event === 'event' && f.data.includes(own.messageId)),
    );
    const data = agent2.frames.map((f) => f.data).join('\n');
    expect(data).not.toContain(mine.messageId);
    expect(data).not.toContain(otherMessageId);
    agent2.close();
  });

  it('SQL-looking input is stored verbatim and harms nothing', async () => {
    const evil = "x'); DROP TABLE events; --";
    const reg = await register(c, c.agentToken, {
      clientId: evil,
      recipients: [{ email: "o'hara@kunde.example", name: "Robert'); DROP TABLE users;--" }],
    });
    await hitPixel(reg.trackers[0]!.pixelUrl);
    const r = await pull(c.agentToken);
    const m = r.messages.find((x) => x.messageId === reg.messageId);
    expect(m?.clientId).toBe(evil);
    expect(m?.recipients[0]?.name).toBe("Robert'); DROP TABLE users;--");
    expect(
      r.events.some((e) => e.messageId === reg.messageId && e.recipientEmail === "o'hara@kunde.example"),
    ).toBe(true);
    expect((await call(`${c.url}/api/v1/me`, { token: c.agentToken })).status).toBe(200);
  });
});
