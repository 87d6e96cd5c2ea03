import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src-main/host/server';
import { MAX_BATCH } from '../../src-main/host/ipc-batch';
import { startInProcessHost, type InProcessHost } from './processes';

/**
 * POST /ipc-batch (issue 12): the page's first calls in one request, each answered as POST
 * /ipc/:op answers it, in their order; the same token and size rules as the single calls.
 */
let running: InProcessHost;
let host: RunningHost;

beforeAll(async () => {
  running = await startInProcessHost();
  host = running.host;
});
afterAll(async () => {
  await running?.close();
});

const post = (path: string, body: unknown, token: string | null = host.token): Promise<Response> =>
  fetch(`${host.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-blitz-token': token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /ipc-batch', () => {
  it('answers each call in order, as the single calls answer them', async () => {
    const page = { query: '', filter: 'all', offset: 0, limit: 100 };
    const res = await post('/ipc-batch', [
      { op: 'settings.get', args: {} },
      { op: 'status.get', args: {} },
      { op: 'activities.page', args: page },
    ]);
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { ok: boolean }[];
    expect(answers).toHaveLength(3);
    const single = async (op: string, args: unknown): Promise<unknown> =>
      (await post(`/ipc/${op}`, args)).json();
    expect(answers[0]).toEqual(await single('settings.get', {}));
    expect(answers[1]).toEqual(await single('status.get', {}));
    expect(answers[2]).toEqual(await single('activities.page', page));
    expect(answers.every((a) => a.ok)).toBe(true);
  });

  it('refuses an unknown operation or bad arguments in its own slot, the others answered', async () => {
    const res = await post('/ipc-batch', [
      { op: 'no.such', args: {} },
      { op: 'activities.page', args: { query: 5 } },
      { op: 'status.get' },
    ]);
    expect(res.status).toBe(200);
    const [unknown, invalid, status] = (await res.json()) as { ok: boolean; error?: { code: string } }[];
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(status).toMatchObject({ ok: true });
  });

  it('needs the token, and refuses what is no batch', async () => {
    const one = [{ op: 'status.get', args: {} }];
    expect((await post('/ipc-batch', one, null)).status).toBe(403);
    expect((await post('/ipc-batch', one, 'x'.repeat(43))).status).toBe(403);
    for (const body of [
      '{"op":"status.get"}',
      '[]',
      'not json',
      JSON.stringify(Array.from({ length: MAX_BATCH + 1 }, () => ({ op: 'status.get', args: {} }))),
      JSON.stringify([{ op: 'status.get', args: {}, extra: 1 }]),
    ]) {
      const res = await post('/ipc-batch', body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const get = await fetch(`${host.origin}/ipc-batch`, { headers: { 'x-blitz-token': host.token } });
    expect(get.status).toBe(405);
  });
});
