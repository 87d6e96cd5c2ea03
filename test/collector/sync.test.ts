import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageSummary } from '../../src-shared/api';
import { TrackingEvent } from '../../src-shared/events';
import { startTestCollector, type TestCollector } from '../support/collector';
import { call, hitPixel, openStream, register } from './helpers';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector({ heartbeatMs: 200 });
});
afterEach(async () => {
  await c?.close();
});

const streamUrl = (): string => `${c.url}/api/v1/events/stream`;

describe('GET /events/stream', () => {
  it('delivers registrations and hits live, id = seq, with heartbeats', async () => {
    const s = openStream(streamUrl(), c.agentToken);
    await s.ready;
    expect(s.status).toBe(200);
    const reg = await register(c, c.agentToken);
    await s.waitFor(() => s.frames.length >= 1);
    const m = s.frames[0]!;
    expect(m.event).toBe('message');
    const summary = MessageSummary.extend({ seq: TrackingEvent.shape.seq }).parse(JSON.parse(m.data));
    expect(summary.messageId).toBe(reg.messageId);
    expect(m.id).toBe(String(summary.seq));

    await hitPixel(reg.trackers[0]!.pixelUrl);
    await s.waitFor(() => s.frames.length >= 2);
    const e = s.frames[1]!;
    expect(e.event).toBe('event');
    const ev = TrackingEvent.parse(JSON.parse(e.data));
    expect(ev.type).toBe('email.opened');
    expect(e.id).toBe(String(ev.seq));
    expect(ev.seq).toBeGreaterThan(summary.seq);
    await s.waitFor(() => s.comments >= 3, 3000);
    s.close();
  });

  it('resumes after Last-Event-ID: exactly what came later, nothing twice', async () => {
    const reg = await register(c, c.agentToken);
    const px = reg.trackers[0]!.pixelUrl;
    await hitPixel(px);
    const first = openStream(streamUrl(), c.agentToken);
    await first.ready;
    await first.waitFor(() => first.frames.length >= 2);
    const lastId = first.frames[first.frames.length - 1]!.id!;
    first.close();

    await hitPixel(px);
    await hitPixel(px);
    await new Promise((r) => setTimeout(r, 50));
    const resumed = openStream(streamUrl(), c.agentToken, { 'last-event-id': lastId });
    await resumed.ready;
    await resumed.waitFor(() => resumed.frames.length >= 2);
    await hitPixel(px);
    await resumed.waitFor(() => resumed.frames.length >= 3);
    const ids = resumed.frames.map((f) => Number(f.id));
    expect(ids).toEqual([Number(lastId) + 1, Number(lastId) + 2, Number(lastId) + 3]);
    // the stream and a pull from the same cursor agree
    const pulled = await call<{ events: { seq: number }[] }>(`${c.url}/api/v1/events?after=${lastId}`, {
      token: c.agentToken,
    });
    expect(pulled.body.events.map((x) => x.seq)).toEqual(ids);
    resumed.close();
  });

  it('?after= works like Last-Event-ID; bad resume points and missing auth are 4xx JSON', async () => {
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl);
    const s = openStream(`${streamUrl()}?after=1`, c.agentToken);
    await s.ready;
    await s.waitFor(() => s.frames.length >= 1);
    expect(s.frames.map((f) => f.event)).toEqual(['event']);
    s.close();
    for (const [hdr, qs] of [
      [{ 'last-event-id': 'abc' }, ''],
      [{}, '?after=-5'],
      [{}, '?after=x'],
      [{}, '?limit=5'],
    ] as const) {
      const r = await call(`${streamUrl()}${qs}`, { token: c.agentToken, headers: hdr });
      expect(r.status).toBe(400);
      expect((r.body as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    expect((await call(streamUrl())).status).toBe(401);
  });

  it('many hits in a burst arrive once each and in seq order', async () => {
    const reg = await register(c, c.agentToken);
    const s = openStream(streamUrl(), c.agentToken);
    await s.ready;
    await Promise.all(Array.from({ length: 40 }, () => hitPixel(reg.trackers[0]!.pixelUrl)));
    await s.waitFor(() => s.frames.length >= 41);
    await new Promise((r) => setTimeout(r, 100));
    const ids = s.frames.map((f) => Number(f.id));
    expect(ids).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    s.close();
  });

  it('a corrected verdict reaches other desktops as the same event id with a new seq', async () => {
    const reg = await register(c, c.agentToken);
    await hitPixel(reg.trackers[0]!.pixelUrl);
    const s = openStream(streamUrl(), c.agentToken);
    await s.ready;
    await s.waitFor(() => s.frames.length >= 2);
    const ev = TrackingEvent.parse(JSON.parse(s.frames[1]!.data));
    const corrected = ev.client.verdict === 'preview' ? 'scanner' : 'preview';
    await call(`${c.url}/api/v1/events/${ev.id}/verdict`, {
      token: c.agentToken,
      body: { verdict: corrected },
    });
    await s.waitFor(() => s.frames.length >= 3);
    const again = TrackingEvent.parse(JSON.parse(s.frames[2]!.data));
    expect(again.id).toBe(ev.id);
    expect(again.seq).toBe(3);
    expect(again.client).toMatchObject({ verdict: corrected, correctedFrom: ev.client.verdict });
    s.close();
  });
});
