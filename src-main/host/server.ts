import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { ipcOperations, type IpcOperation } from '../../src-shared/ipc';
import { msg, type MessageKey } from '../../src-shared/messages';
import { err, type Result } from '../../src-shared/result';
import type { CoreApi } from '../core/api';
import { contentSecurityPolicy } from '../core/renderer-assets/csp';
import { rendererContentType } from '../core/renderer-assets/mime';
import { dispatchBatch, IPC_BATCH_PATH, parseBatch } from './ipc-batch';
import { attachIpcSocket } from './ipc-socket';
import type { RecordingNotifier } from './recording-notifier';

/**
 * The browser host: the same renderer and the same core handler table as the Electron app, for a
 * normal browser on 127.0.0.1 (development and the e2e tests). POST /ipc/:op → core.dispatch (and
 * the same calls over the WebSocket /ipc-ws, ipc-socket.ts), core events → Server-Sent Events on
 * /events.
 *
 * Protection against other local pages: every bridge call needs the random token, which only the
 * page opened through the printed URL knows (it travels in the URL fragment, never to a server).
 * POST needs it in a custom header (so a foreign page also fails the CORS preflight), the event
 * stream as a query parameter (EventSource cannot send headers). The Host header is checked
 * against DNS rebinding.
 */
export interface HostOptions {
  core: CoreApi;
  notifier: RecordingNotifier;
  port?: number;
  /** built renderer (index.html + assets); ignored when `vite` is given */
  rendererDir?: string;
  /** Connect-style middleware of a Vite dev server in middleware mode */
  viteMiddleware?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  token?: string;
  log?: (msg: string) => void;
}

export interface RunningHost {
  /** origin, e.g. http://127.0.0.1:5123 */
  origin: string;
  /** the URL to open: origin plus the token in the fragment */
  pageUrl: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024; // attachments travel base64 inside the JSON

function isKnownOperation(op: string): op is IpcOperation {
  return Object.prototype.hasOwnProperty.call(ipcOperations, op);
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(data),
  });
  res.end(data);
}

/** the host's own refusals, by code; the text at the call site is the detail for logs */
const HOST_MESSAGES: Record<string, MessageKey> = {
  forbidden: 'accessDenied',
  unknown_operation: 'unknownOperation',
  too_large: 'requestTooLarge',
  renderer_missing: 'hostRendererMissing',
  internal: 'internalError',
};

function fail(res: ServerResponse, status: number, code: string, detail: string): void {
  const body: Result<never> = err({ code, message: msg(HOST_MESSAGES[code] ?? 'badRequest'), detail });
  sendJson(res, status, body);
}

/**
 * The path percent-decoded: null when malformed (bad percent-encoding, a control character or
 * backslash), 'escape' when a `.` or `..` segment tries to leave the folder, else the path.
 */
export function decodePath(pathname: string): string | null | 'escape' {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\x00-\x1f\x7f\\]/.test(decoded)) return null;
  if (decoded.split('/').some((seg) => seg === '..' || seg === '.')) return 'escape';
  return decoded;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) return null;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const log = opts.log ?? (() => {});
  const sseClients = new Set<ServerResponse>();
  const csp = contentSecurityPolicy(opts.viteMiddleware ? 'dev' : 'production');
  let allowedHosts: string[] = [];

  const securityHeaders = (res: ServerResponse): void => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
    const root = resolve(opts.rendererDir ?? '');
    const decoded = decodePath(pathname);
    // malformed or escaping paths are refused, not answered with the page (the SPA fallback below)
    if (decoded === null) return fail(res, 400, 'bad_path', 'Ungültige Adresse');
    if (decoded === 'escape') return fail(res, 404, 'not_found', 'Nicht gefunden');
    let file = normalize(join(root, decoded));
    if (file !== root && !file.startsWith(root + sep)) return fail(res, 404, 'not_found', 'Nicht gefunden');
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) return fail(res, 500, 'renderer_missing', 'Die Oberfläche ist nicht gebaut.');
    const isIndex = file.endsWith('index.html');
    res.writeHead(200, {
      'content-type': rendererContentType(file),
      // hashed asset names may be cached; the page itself not
      'cache-control': isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', (e) => {
        log(`static ${pathname}: ${e.message}`);
        res.destroy();
      })
      .pipe(res);
  };

  const handleIpc = async (req: IncomingMessage, res: ServerResponse, op: string): Promise<void> => {
    if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'Nur POST');
    if (!tokenMatches(req.headers['x-blitz-token'] as string | undefined, token)) {
      return fail(res, 403, 'forbidden', 'Zugriff verweigert');
    }
    if (!isKnownOperation(op)) return fail(res, 404, 'unknown_operation', 'Unbekannte Operation');
    // refused by its declared length before a byte of it is read
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
      return fail(res, 413, 'too_large', 'Die Anfrage ist zu groß.');
    const body = await readBody(req);
    if (body === null) return fail(res, 413, 'too_large', 'Die Anfrage ist zu groß.');
    let args: unknown = {};
    if (body.length > 0) {
      try {
        args = JSON.parse(body.toString('utf8'));
      } catch {
        return fail(res, 400, 'bad_json', 'Ungültige Anfrage');
      }
    }
    try {
      const result = await opts.core.dispatch(op, args);
      sendJson(res, 200, result);
    } catch (e) {
      // the core returns errors as values; a throw is a bug, reported with context, not swallowed
      log(`dispatch ${op} threw: ${e instanceof Error ? e.stack : String(e)}`);
      fail(res, 500, 'internal', 'internal error (see the host log)');
    }
  };

  /** POST /ipc-batch (ipc-batch.ts): the same checks as POST /ipc/:op, the calls' answers in one array */
  const handleBatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'Nur POST');
    if (!tokenMatches(req.headers['x-blitz-token'] as string | undefined, token)) {
      return fail(res, 403, 'forbidden', 'Zugriff verweigert');
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
      return fail(res, 413, 'too_large', 'Die Anfrage ist zu groß.');
    const body = await readBody(req);
    if (body === null) return fail(res, 413, 'too_large', 'Die Anfrage ist zu groß.');
    let calls: ReturnType<typeof parseBatch> = null;
    try {
      calls = parseBatch(JSON.parse(body.toString('utf8')));
    } catch {
      calls = null;
    }
    if (!calls) return fail(res, 400, 'bad_json', 'Ungültige Anfrage');
    sendJson(res, 200, await dispatchBatch(opts.core, calls, log));
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void => {
    if (!tokenMatches(query.get('token'), token)) return fail(res, 403, 'forbidden', 'Zugriff verweigert');
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    sseClients.add(res);
    const unsubscribe = opts.core.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sseClients.delete(res);
    });
  };

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    // every answer, refusals included, carries the security headers
    securityHeaders(res);
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts.includes(hostHeader)) return fail(res, 421, 'bad_host', 'Unbekannter Host');
    const target = req.url ?? '';
    // origin-form only: an absolute or asterisk target is no request for this server's pages
    if (!target.startsWith('/') || target.startsWith('//'))
      return fail(res, 400, 'bad_request', 'Ungültige Anfrage');
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
    const ipc = /^\/ipc\/([^/]+)$/.exec(pathname);
    if (ipc?.[1]) {
      handleIpc(req, res, ipc[1]).catch((e: unknown) => failed(req, res, e));
      return;
    }
    if (pathname === IPC_BATCH_PATH) {
      handleBatch(req, res).catch((e: unknown) => failed(req, res, e));
      return;
    }
    if (pathname === '/events') return handleEvents(req, res, query);
    if (pathname === '/notifications') {
      if (!tokenMatches(req.headers['x-blitz-token'] as string | undefined, token)) {
        return fail(res, 403, 'forbidden', 'Zugriff verweigert');
      }
      return sendJson(res, 200, opts.notifier.shown);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return fail(res, 405, 'method_not_allowed', 'Nicht erlaubt');
    if (opts.viteMiddleware) {
      opts.viteMiddleware(req, res, () => fail(res, 404, 'not_found', 'Nicht gefunden'));
      return;
    }
    serveStatic(req, res, pathname);
  };

  /** The one place a bug in a request's handling ends: logged with its request, answered 500, process alive. */
  const failed = (req: IncomingMessage, res: ServerResponse, e: unknown): void => {
    // the path only: the query of /events carries the access token
    const path = (req.url ?? '').split('?')[0]!.slice(0, 200);
    log(
      `request ${req.method ?? '?'} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    if (res.headersSent) res.destroy();
    else fail(res, 500, 'internal', 'internal error (see the host log)');
  };

  // no Host header: our own 421 below (node's automatic 400 would skip the security headers)
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    try {
      route(req, res);
    } catch (e) {
      failed(req, res, e);
    }
  });
  // an Expect other than 100-continue: node's automatic 417 would skip the security headers too
  server.on('checkExpectation', (_req, res: ServerResponse) => {
    securityHeaders(res);
    fail(res, 417, 'expectation_failed', 'Nicht unterstützt');
  });
  // requests node:http cannot parse (broken framing, oversize headers, bad methods): 4xx, never a crash
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) return void socket.destroy();
    const [status, text] =
      e.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large']
        : e.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout']
          : [400, 'Bad Request'];
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
        `Content-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
    );
  });

  const ipcSocket = attachIpcSocket(server, {
    core: opts.core,
    tokenMatches: (given) => tokenMatches(given, token),
    allowedHosts: () => allowedHosts,
    maxPayload: MAX_BODY,
    log,
  });

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: `${origin}/#token=${token}`,
    token,
    close: async () => {
      ipcSocket.close();
      for (const c of sseClients) c.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
