import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApp, type AppUnderTest } from '../support/e2e-stack';
import { removeDirs, stubRenderer } from './processes';

/**
 * The browser host's WebSocket for bridge calls (src-main/host/ipc-socket.ts): a WebSocket is not
 * held back by CORS, so the handshake itself must carry the page's token, come from the host's
 * own origin and name the host's own address; on an open socket, a malformed or unknown call gets
 * an error answer and the socket keeps serving.
 */
let app: AppUnderTest;
const dirs: string[] = [];

beforeAll(async () => {
  const renderer = stubRenderer();
  dirs.push(renderer);
  app = await startApp(renderer);
}, 60_000);
afterAll(async () => {
  await app?.close();
  removeDirs(dirs);
});

const wsUrl = (query: string): string => `${app.host.origin.replace('http:', 'ws:')}/ipc-ws${query}`;

/** the handshake's outcome: 'open', or the HTTP status it was refused with */
function handshake(
  url: string,
  headers: Record<string, string>,
): Promise<{ ws: WebSocket; status: number | 'open' }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => done({ ws, status: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      done({ ws, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => fail(e));
  });
}

function call(
  ws: WebSocket,
  text: string,
): Promise<{ id: number; result: { ok: boolean; error?: { code: string } } }> {
  return new Promise((done) => {
    ws.once('message', (data) => done(JSON.parse(String(data)) as never));
    ws.send(text);
  });
}

describe('browser host: the WebSocket for bridge calls', () => {
  it('refuses a handshake without the token, from another origin, to another host, on another path', async () => {
    const own = { origin: app.host.origin };
    const token = `?token=${encodeURIComponent(app.host.token)}`;
    expect((await handshake(wsUrl(''), own)).status).toBe(403);
    expect((await handshake(wsUrl('?token=wrong'), own)).status).toBe(403);
    expect((await handshake(wsUrl(token), { origin: 'http://evil.example' })).status).toBe(403);
    expect((await handshake(wsUrl(token), {})).status).toBe(403);
    expect((await handshake(wsUrl(token), { ...own, host: 'evil.example' })).status).toBe(421);
    expect((await handshake(`${app.host.origin.replace('http:', 'ws:')}/events${token}`, own)).status).toBe(
      404,
    );
  });

  it('answers calls by id, malformed and unknown ones with an error, and keeps serving', async () => {
    const { ws, status } = await handshake(wsUrl(`?token=${encodeURIComponent(app.host.token)}`), {
      origin: app.host.origin,
    });
    expect(status).toBe('open');
    try {
      const ok = await call(ws, JSON.stringify({ id: 7, op: 'status.get', args: {} }));
      expect(ok).toMatchObject({ id: 7, result: { ok: true } });
      expect(await call(ws, '{not json')).toMatchObject({
        id: -1,
        result: { ok: false, error: { code: 'bad_json' } },
      });
      expect(await call(ws, JSON.stringify({ id: 8, op: 'nope.nope', args: {} }))).toMatchObject({
        id: 8,
        result: { ok: false, error: { code: 'unknown_operation' } },
      });
      // the core validates the arguments as for POST /ipc/:op
      expect(
        await call(ws, JSON.stringify({ id: 9, op: 'activities.page', args: { limit: 'many' } })),
      ).toMatchObject({ id: 9, result: { ok: false, error: { code: 'invalid_arguments' } } });
      expect(
        await call(ws, JSON.stringify({ id: 10, op: 'activities.count', args: { query: 'x' } })),
      ).toMatchObject({ id: 10, result: { ok: true } });
    } finally {
      ws.close();
    }
  });
});
