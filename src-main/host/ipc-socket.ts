import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { ipcOperations, type IpcOperation } from '../../src-shared/ipc';
import { msg, type MessageKey } from '../../src-shared/messages';
import { err, type Result } from '../../src-shared/result';
import type { CoreApi } from '../core/api';

/**
 * The browser host's bridge calls over one WebSocket per page (GET /ipc-ws → 101), beside POST
 * /ipc/:op: the same core.dispatch, the same answers. Why: a `fetch` per call crosses Chromium's
 * network service twice and sets up a request each time; on this project's loaded 2-core machine
 * a round trip took 6–9 ms at the median and 13–30 ms at p95, a message on an open socket
 * 1.4–2.4 / 6–18 ms (issue 12: the search's keystrokes and the feed switches are one call each).
 *
 * Protection as for the rest of the host: the token in the query (a page cannot set headers on a
 * WebSocket handshake), the Host header against DNS rebinding, and the Origin header — which a
 * browser always sends and a foreign page cannot forge — must be the host's own, since a
 * WebSocket is not held back by CORS.
 */
export const IPC_SOCKET_PATH = '/ipc-ws';

/** a call: `id` comes back with its answer (answers may overtake each other) */
const Call = z
  .object({ id: z.number().int().nonnegative(), op: z.string().max(100), args: z.unknown() })
  .strict();

export interface IpcSocketOptions {
  core: CoreApi;
  /** the same checks as the HTTP routes: token, Host header */
  tokenMatches(given: string | null): boolean;
  allowedHosts(): string[];
  maxPayload: number;
  log(msg: string): void;
}

const HOST_MESSAGES: Record<string, MessageKey> = {
  unknown_operation: 'unknownOperation',
  bad_json: 'badRequest',
  internal: 'internalError',
};

function refusal(code: string, detail: string): Result<never> {
  return err({ code, message: msg(HOST_MESSAGES[code] ?? 'badRequest'), detail });
}

function isKnownOperation(op: string): op is IpcOperation {
  return Object.prototype.hasOwnProperty.call(ipcOperations, op);
}

/** refuses a handshake with a plain HTTP answer and closes the socket */
function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export function attachIpcSocket(server: Server, opts: IpcSocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload, perMessageDeflate: false });

  const serve = (ws: WebSocket): void => {
    ws.on('message', (data, isBinary) => {
      let call: z.infer<typeof Call>;
      try {
        const parsed = Call.safeParse(JSON.parse(isBinary ? '' : String(data)));
        if (!parsed.success) return ws.send(JSON.stringify({ id: -1, result: refusal('bad_json', 'call') }));
        call = parsed.data;
      } catch {
        return ws.send(JSON.stringify({ id: -1, result: refusal('bad_json', 'json') }));
      }
      const { id, op, args } = call;
      if (!isKnownOperation(op))
        return ws.send(JSON.stringify({ id, result: refusal('unknown_operation', op.slice(0, 100)) }));
      opts.core
        .dispatch(op, args ?? {})
        .then(
          (result) => result,
          (e: unknown) => {
            // the core returns errors as values; a throw is a bug, reported with context
            opts.log(`dispatch ${op} threw: ${e instanceof Error ? e.stack : String(e)}`);
            return refusal('internal', 'internal error (see the host log)');
          },
        )
        .then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
        })
        .catch((e: unknown) => opts.log(`ipc socket ${op}: ${e instanceof Error ? e.message : String(e)}`));
    });
    ws.on('error', (e) => opts.log(`ipc socket: ${e.message}`));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const target = req.url ?? '';
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    if (pathname !== IPC_SOCKET_PATH) return refuse(socket, 404, 'Not Found');
    const host = req.headers.host ?? '';
    if (!opts.allowedHosts().includes(host)) return refuse(socket, 421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (!origin || !opts.allowedHosts().some((h) => origin === `http://${h}`))
      return refuse(socket, 403, 'Forbidden');
    const token = new URLSearchParams(q === -1 ? '' : target.slice(q + 1)).get('token');
    if (!opts.tokenMatches(token)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, serve);
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}
