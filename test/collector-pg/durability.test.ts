import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { EventsResponse, type RegisterMessageResponse } from '../../src-shared/api';
import { call, openStream } from '../collector/helpers';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg, type ScratchSchema } from './pg-support';
import { cliPg, killAll, servePg } from './proc';

const skip = skipWithoutPg();
const children: ChildProcess[] = [];
let schema: ScratchSchema | null = null;

afterAll(async () => {
  killAll(children);
  await schema?.drop();
});

describe.skipIf(skip)(`durability on PostgreSQL${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('every hit answered 200 before SIGKILL is stored exactly once; a pull from 0 sees each once, in seq order, no gap', async () => {
    schema = await createScratchSchema();
    const db = schema.url;
    const { accountId } = cliPg(db, 'create-account', '--name', 'Dauerhaft GmbH') as { accountId: string };
    const { token } = cliPg(
      db,
      'create-user',
      '--account',
      accountId,
      '--email',
      'a@d.example',
      '--name',
      'A',
      '--role',
      'admin',
    ) as {
      token: string;
    };

    const first = await servePg(db, {}, children);
    const trackers: RegisterMessageResponse['trackers'] = [];
    for (let m = 0; m < 3; m++) {
      const r = await call<RegisterMessageResponse>(`${first.url}/api/v1/messages`, {
        token,
        body: {
          clientId: `load-${m}`,
          subject: 'Last',
          sentIndividually: true,
          recipients: Array.from({ length: 500 }, (_, i) => ({ email: `r${m}-${i}@kunde.example` })),
          links: [],
        },
      });
      expect(r.status).toBe(200);
      trackers.push(...r.body.trackers);
    }

    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (!killed && next < trackers.length) {
        const t = trackers[next++]!;
        try {
          const r = await fetch(t.pixelUrl, {
            headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) Thunderbird/128.0' },
          });
          await r.arrayBuffer();
          if (r.status === 200 && !killed) acked.add(t.recipientEmail!);
        } catch {
          // the server died under this request: not acknowledged
        }
      }
    };
    const load = Promise.all(Array.from({ length: 32 }, worker));
    while (acked.size < 400) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await load;
    await first.exited();
    expect(acked.size).toBeGreaterThanOrEqual(400);
    expect(acked.size).toBeLessThan(trackers.length);

    const second = await servePg(db, {}, children);
    const seen = new Map<string, number>();
    const seqs: number[] = [];
    let after = 0;
    for (;;) {
      const page = EventsResponse.parse(
        (await call(`${second.url}/api/v1/events?after=${after}&limit=97`, { token })).body,
      );
      if (page.events.length + page.messages.length === 0) break;
      for (const e of page.events) {
        seen.set(e.recipientEmail!, (seen.get(e.recipientEmail!) ?? 0) + 1);
        seqs.push(e.seq);
      }
      after = page.next;
    }
    for (const email of acked) expect(seen.get(email), email).toBe(1);
    for (const [email, n] of seen) expect(n, email).toBe(1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // registrations took 1..3; the events follow without a gap (a rolled-back batch returns its numbers)
    expect(seqs[0]).toBe(4);
    expect(seqs[seqs.length - 1]).toBe(3 + seqs.length);

    const s = openStream(`${second.url}/api/v1/events/stream`, token);
    await s.ready;
    await s.waitFor(() => s.frames.length >= seqs.length + 3, 10_000);
    expect(s.frames.filter((f) => f.event === 'event').map((f) => Number(f.id))).toEqual(seqs);
    s.close();
    second.child.kill('SIGTERM');
    await second.exited();
    expect(second.child.exitCode).toBe(0);
  }, 60_000);
});
