import { expect } from 'vitest';
import { EventsResponse, type RegisterMessageResponse } from '../../src-shared/api';
import { call } from '../collector/helpers';

/**
 * The steps of the "SIGKILL under load" proof, shared by the SQLite and PostgreSQL durability
 * tests so both stores are held to exactly the same procedure.
 */

/** 3 messages × 500 recipients sent individually: each pixel URL is one person, hit once. */
export async function registerLoad(url: string, token: string): Promise<RegisterMessageResponse['trackers']> {
  const trackers: RegisterMessageResponse['trackers'] = [];
  for (let m = 0; m < 3; m++) {
    const r = await call<RegisterMessageResponse>(`${url}/api/v1/messages`, {
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
  return trackers;
}

/**
 * 32 clients fetch the pixels; once `killAfter` hits were answered, `kill()` runs. Returns the
 * recipients whose hit got a 200 before the kill.
 */
export async function hitUntilKilled(
  trackers: RegisterMessageResponse['trackers'],
  killAfter: number,
  kill: () => void,
  /** awaited after killAfter acknowledgements, while the load goes on (e.g. until a side effect shows) */
  before?: () => Promise<void>,
): Promise<Set<string>> {
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
  while (acked.size < killAfter) await new Promise((r) => setTimeout(r, 5));
  await before?.();
  kill();
  killed = true;
  await load;
  return acked;
}

/** Pulls from cursor 0 in small pages: how often each recipient's event was seen, and the seqs. */
export async function pullAll(
  url: string,
  token: string,
): Promise<{ seen: Map<string, number>; seqs: number[] }> {
  const seen = new Map<string, number>();
  const seqs: number[] = [];
  let after = 0;
  for (;;) {
    const page = EventsResponse.parse(
      (await call(`${url}/api/v1/events?after=${after}&limit=97`, { token })).body,
    );
    if (page.events.length + page.messages.length === 0) break;
    for (const e of page.events) {
      seen.set(e.recipientEmail!, (seen.get(e.recipientEmail!) ?? 0) + 1);
      seqs.push(e.seq);
    }
    after = page.next;
  }
  return { seen, seqs };
}
