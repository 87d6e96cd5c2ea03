import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse, type RegisterMessageResponse } from '../../src-shared/api';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import {
  createScratchSchema,
  PG_SKIP_REASON,
  skipWithoutPg,
  type ScratchSchema,
} from '../collector-pg/pg-support';
import { call, CHROME_UA, openStream, register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';

/**
 * Several collectors on one PostgreSQL database, as behind a load balancer: they share nothing
 * but the database, so whichever instance a request reaches must answer it the same.
 */
const skip = skipWithoutPg();
let schema: ScratchSchema;
let first: TestCollector;
let instances: RunningCollector[] = [];

beforeAll(async () => {
  if (skip) return;
  schema = await createScratchSchema();
  first = await startTestCollector({ databaseUrl: schema.url, heartbeatMs: 60_000 });
  const others = await Promise.all(
    [0, 1].map(() =>
      startCollector({ databaseUrl: schema.url, rateLimit: false, logLevel: 'silent', heartbeatMs: 60_000 }),
    ),
  );
  instances = [first.collector, ...others];
});

afterAll(async () => {
  if (skip) return;
  for (const c of instances.slice(1)) await c.close();
  await first.close();
  await schema.drop();
});

/** the same path on another instance */
const on = (c: RunningCollector, u: string): string => {
  const x = new URL(u);
  return `${c.url}${x.pathname}${x.search}`;
};

async function pullAll(c: RunningCollector, token: string, after = 0, limit = 500): Promise<EventsResponse> {
  const out: EventsResponse = { events: [], messages: [], next: after };
  for (;;) {
    const r = await call(`${c.url}/api/v1/events?after=${out.next}&limit=${limit}`, { token });
    expect(r.status).toBe(200);
    const page = EventsResponse.parse(r.body);
    if (page.events.length + page.messages.length === 0) return out;
    out.events.push(...page.events);
    out.messages.push(...page.messages);
    out.next = page.next;
  }
}

describe.skipIf(skip)(
  `several collectors on one database${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`,
  () => {
    it('any instance answers any API token, any tracker token, any pull', async () => {
      const [a, b, c] = instances as [RunningCollector, RunningCollector, RunningCollector];
      const me = await call<{ userId: string }>(`${c.url}/api/v1/me`, { token: first.agentToken });
      expect(me.body.userId).toBe(first.agentUserId);
      const reg = await register({ url: a.url }, first.agentToken, {
        links: ['https://makler.example/expose/7'],
      });
      const t = reg.trackers[0]!;
      const px = await fetch(on(b, t.pixelUrl), { headers: { 'user-agent': CHROME_UA } });
      expect(px.status).toBe(200);
      const click = await fetch(on(c, t.links[0]!.trackedUrl), {
        redirect: 'manual',
        headers: { 'user-agent': CHROME_UA },
      });
      expect(click.status).toBe(302);
      expect(click.headers.get('location')).toBe('https://makler.example/expose/7');
      for (const x of instances) {
        const page = await pullAll(x, first.agentToken);
        expect(page.messages.map((m) => m.messageId)).toContain(reg.messageId);
        expect(page.events.filter((e) => e.messageId === reg.messageId).map((e) => e.type)).toEqual([
          'email.opened',
          'email.link_clicked',
        ]);
      }
    });

    it('a hit recorded by one instance reaches an SSE stream held open on another within a second', async () => {
      const [a, b] = instances as [RunningCollector, RunningCollector];
      const reg = await register({ url: a.url }, first.adminToken);
      const start = await pullAll(b, first.adminToken);
      const s = openStream(`${b.url}/api/v1/events/stream?after=${start.next}`, first.adminToken);
      try {
        await s.ready;
        expect(s.status).toBe(200);
        const t0 = Date.now();
        await fetch(on(a, reg.trackers[0]!.pixelUrl), { headers: { 'user-agent': CHROME_UA } }).then((r) =>
          r.arrayBuffer(),
        );
        await s.waitFor(() => s.frames.some((f) => f.event === 'event'), 1000);
        expect(Date.now() - t0).toBeLessThan(1000);
        const e = JSON.parse(s.frames.find((f) => f.event === 'event')!.data) as { messageId: string };
        expect(e.messageId).toBe(reg.messageId);
      } finally {
        s.close();
      }
    });

    it('concurrent writers on every instance while clients pull: each client ends with every event once, in seq order, no gap', async () => {
      const regs: RegisterMessageResponse[] = [];
      for (let m = 0; m < 3; m++) {
        regs.push(
          await register({ url: instances[m]!.url }, first.adminToken, {
            recipients: Array.from({ length: 200 }, (_, i) => ({ email: `c${m}-${i}@kunde.example` })),
          }),
        );
      }
      const pixels = regs.flatMap((r) => r.trackers.map((t) => t.pixelUrl));
      const HITS = 1200;
      let sent = 0;
      let writing = true;
      const writer = async (w: number): Promise<void> => {
        while (sent < HITS) {
          const i = sent++;
          const target = instances[(i + w) % instances.length]!;
          const r = await fetch(on(target, pixels[i % pixels.length]!), {
            headers: { 'user-agent': CHROME_UA },
          });
          await r.arrayBuffer();
          expect(r.status).toBe(200);
        }
      };
      // pulling clients: small pages, each on another instance every time, applying by cursor
      const clients = instances.map(() => ({ seqs: [] as number[], ids: [] as string[], next: 0 }));
      const pullOnce = async (k: number, round: number): Promise<number> => {
        const cl = clients[k]!;
        const inst = instances[(k + round) % instances.length]!;
        const r = await call(`${inst.url}/api/v1/events?after=${cl.next}&limit=37`, {
          token: first.adminToken,
        });
        const page = EventsResponse.parse(r.body);
        const items = [
          ...page.events.map((e) => ({ seq: e.seq, id: e.id })),
          ...page.messages.map((m) => ({ seq: m.seq, id: m.messageId })),
        ].sort((x, y) => x.seq - y.seq);
        for (const it of items) {
          cl.seqs.push(it.seq);
          cl.ids.push(it.id);
        }
        cl.next = page.next;
        return items.length;
      };
      const puller = async (k: number): Promise<void> => {
        let round = 0;
        while (writing) {
          await pullOnce(k, round++);
          await new Promise((r) => setTimeout(r, 3));
        }
        while ((await pullOnce(k, round++)) > 0);
      };
      const pulls = clients.map((_, k) => puller(k));
      await Promise.all(Array.from({ length: 24 }, (_, w) => writer(w)));
      writing = false;
      await Promise.all(pulls);

      const truth = await pullAll(instances[0]!, first.adminToken);
      const total = truth.events.length + truth.messages.length;
      expect(truth.next).toBe(total);
      for (const cl of clients) {
        expect(cl.seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(new Set(cl.ids).size).toBe(cl.ids.length);
      }
      expect(truth.events.filter((e) => regs.some((r) => r.messageId === e.messageId))).toHaveLength(HITS);
    }, 60_000);
  },
);
