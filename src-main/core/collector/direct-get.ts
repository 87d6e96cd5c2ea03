import { connect as netConnect, type OnReadOpts, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import type { BytesResponse } from './get-bytes';

/**
 * GETs whose answers are read straight into the caller's buffer: the socket reads into the buffer
 * `alloc` gave (net's and tls's `onread`), so a first sync's ~270 MB of pages per 1,000,000 events
 * are copied once, by the kernel. node:http reads each 64 KB into a new buffer and copies the body
 * out of it into another one (llhttp's on_body); at 1,000,000 events those fresh buffers were
 * ~56,000 page faults and two extra copies on the fetching thread, ~0.5 s of its CPU
 * (docs/bench/2026-12-07-s12-sync.md). Only the framing a collector uses is read: a Content-Length.
 * Any other (chunked, or no length) is refused with FramingUnsupported before the body is read, and
 * the caller asks again over node:http (get-bytes.ts). Connections are kept alive, one per request
 * in flight, unless the answer says otherwise (HTTP/1.0, `connection: close`).
 */
export class FramingUnsupported extends Error {
  override name = 'FramingUnsupported';
}

/** the most a head (status line and headers) may take; node:http allows 16 KiB by default */
const MAX_HEAD = 16 * 1024;
/** where a head is read (and whatever body bytes came with it) */
const HEAD_BUFFER = 64 * 1024;

type Pending = {
  onHeaders?: ((status: number, headers: IncomingHttpHeaders) => void) | undefined;
  alloc: (length: number) => Uint8Array;
  resolve: (r: BytesResponse) => void;
  reject: (e: Error) => void;
  /** bytes of the answer seen so far: a reused connection that closes before any may be retried */
  seen: number;
};

type Conn = {
  origin: string;
  socket: Socket;
  /** the head so far, then unused until the next answer */
  head: Uint8Array;
  headLength: number;
  status: number;
  headers: IncomingHttpHeaders;
  body: Uint8Array | null;
  at: number;
  keepAlive: boolean;
  pending: Pending | null;
};

export interface DirectGetter {
  get(
    url: string,
    headers: Record<string, string>,
    timeoutMs: number,
    onHeaders?: (status: number, headers: IncomingHttpHeaders) => void,
    alloc?: (length: number) => Uint8Array,
  ): Promise<BytesResponse>;
  /** resolves once every request asked for so far is on the wire (or failed) */
  written(): Promise<void>;
  /** closes the idle connections (one in use closes when its answer is read) */
  close(): void;
}

/** `tls`: more options for https connections (a test's own certificate authority) */
export function createDirectGetter(tls: ConnectionOptions = {}): DirectGetter {
  const idle = new Map<string, Conn[]>();
  /** requests not yet handed to the kernel (a new connection writes once it is connected) */
  const writing = new Set<Promise<void>>();

  function open(u: URL): Conn {
    const c: Conn = {
      origin: u.origin,
      socket: null as unknown as Socket,
      head: new Uint8Array(HEAD_BUFFER),
      headLength: 0,
      status: 0,
      headers: {},
      body: null,
      at: 0,
      keepAlive: false,
      pending: null,
    };
    const onread: OnReadOpts = {
      // while a body is read, straight into its buffer (never past its end: a byte more is an error)
      buffer: () => (c.body && c.at < c.body.length ? c.body.subarray(c.at) : c.head.subarray(c.headLength)),
      callback: (n: number) => {
        try {
          received(c, n);
        } catch (e) {
          // a caller's alloc or onHeaders that threw: the request fails, not the thread
          fail(c, e instanceof Error ? e : new Error(String(e)));
        }
        return true;
      },
    };
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
    // tls reads into the buffer too (since Node 15), though its types do not say so
    const tlsOptions: ConnectionOptions & { onread: OnReadOpts } = {
      ...tls,
      host,
      port,
      ...(isIp(host) ? {} : { servername: host }),
      onread,
    };
    c.socket = u.protocol === 'https:' ? tlsConnect(tlsOptions) : netConnect({ host, port, onread });
    c.socket.setNoDelay(true);
    const gone = (e?: Error): void => {
      const list = idle.get(c.origin);
      if (list?.includes(c)) list.splice(list.indexOf(c), 1);
      if (c.pending) fail(c, e ?? new Error('answer cut off'));
    };
    c.socket.on('error', gone);
    c.socket.on('close', () => gone());
    c.socket.on('end', () => c.socket.destroy());
    return c;
  }

  function fail(c: Conn, e: Error): void {
    const p = c.pending;
    c.pending = null;
    c.socket.destroy();
    p?.reject(e);
  }

  function received(c: Conn, n: number): void {
    const p = c.pending;
    if (!p) return fail(c, new Error('bytes from the collector while no request was out'));
    p.seen += n;
    if (c.body) {
      c.at += n;
      if (c.at === c.body.length) return finish(c);
      return;
    }
    c.headLength += n;
    const end = headEnd(c.head, c.headLength);
    if (end < 0) {
      if (c.headLength >= MAX_HEAD) fail(c, new Error(`answer head over ${MAX_HEAD} bytes`));
      return;
    }
    const head = Buffer.from(c.head.buffer, c.head.byteOffset, end).toString('latin1');
    const parsed = parseHead(head);
    if (typeof parsed === 'string') return fail(c, new Error(parsed));
    c.status = parsed.status;
    c.headers = parsed.headers;
    c.keepAlive = parsed.keepAlive;
    p.onHeaders?.(parsed.status, parsed.headers);
    if (c.pending !== p) return;
    const length = parsed.length;
    if (length === null) return fail(c, new FramingUnsupported(parsed.framing));
    const extra = c.headLength - (end + 4);
    if (extra > length) return fail(c, new Error('more bytes than the answer announced'));
    c.body = p.alloc(length);
    c.body.set(c.head.subarray(end + 4, c.headLength));
    c.at = extra;
    c.headLength = 0;
    if (c.at === length) finish(c);
  }

  function finish(c: Conn): void {
    const p = c.pending!;
    const r: BytesResponse = { status: c.status, headers: c.headers, bytes: c.body! };
    c.pending = null;
    c.body = null;
    c.at = 0;
    if (c.keepAlive && !c.socket.destroyed) {
      // an idle connection keeps no thread alive
      c.socket.unref();
      (idle.get(c.origin) ?? idle.set(c.origin, []).get(c.origin)!).push(c);
    } else c.socket.destroy();
    p.resolve(r);
  }

  /** one request on a kept-alive connection or a new one; `retry` when a kept one was closed under it */
  function once(
    u: URL,
    request: string,
    timeoutMs: number,
    onHeaders: Pending['onHeaders'],
    alloc: Pending['alloc'],
  ): Promise<{ r: BytesResponse } | { retry: true }> {
    const reused = idle.get(u.origin)?.pop();
    const c = reused ?? open(u);
    c.socket.ref();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const e = new Error(`no complete answer within ${timeoutMs} ms`);
        e.name = 'TimeoutError';
        fail(c, e);
      }, timeoutMs);
      const p: Pending = {
        onHeaders,
        alloc,
        seen: 0,
        resolve: (r) => {
          clearTimeout(timer);
          resolve({ r });
        },
        reject: (e) => {
          clearTimeout(timer);
          // the collector may close a kept-alive connection just as it is used again (GET: safe to repeat)
          if (reused && p.seen === 0 && e.name !== 'TimeoutError') resolve({ retry: true });
          else reject(e);
        },
      };
      c.pending = p;
      c.headLength = 0;
      const written = new Promise<void>((r) => c.socket.write(request, () => r()));
      writing.add(written);
      void written.then(() => writing.delete(written));
    });
  }

  return {
    async get(url, headers, timeoutMs, onHeaders, alloc = (length) => new Uint8Array(length)) {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an HTTP address: ${url}`);
      const lines = [`GET ${u.pathname}${u.search} HTTP/1.1`, `host: ${u.host}`, 'connection: keep-alive'];
      for (const [k, v] of Object.entries(headers)) {
        // a header is one line: a CR or LF in it would start another one
        if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new Error(`header ${JSON.stringify(k)} holds a line break`);
        lines.push(`${k}: ${v}`);
      }
      const request = `${lines.join('\r\n')}\r\n\r\n`;
      for (let attempt = 0; ; attempt++) {
        const r = await once(u, request, timeoutMs, onHeaders, alloc);
        if ('r' in r) return r.r;
        if (attempt > 0) throw new Error('answer cut off');
      }
    },
    async written() {
      await Promise.all([...writing]);
    },
    close() {
      for (const list of idle.values()) for (const c of list.splice(0)) c.socket.destroy();
    },
  };
}

/** where the head ends (the index of its CRLF CRLF), or -1 */
function headEnd(b: Uint8Array, length: number): number {
  const n = Math.min(length, MAX_HEAD + 4);
  for (let i = 3; i < n; i++)
    if (b[i] === 0x0a && b[i - 1] === 0x0d && b[i - 2] === 0x0a && b[i - 3] === 0x0d) return i - 3;
  return -1;
}

type Head = {
  status: number;
  headers: IncomingHttpHeaders;
  keepAlive: boolean;
  /** the body's length, or null with what the framing is (FramingUnsupported) */
  length: number | null;
  framing: string;
};

/** the status line and the headers (names in lower case, repeated ones joined as node:http does) */
function parseHead(head: string): Head | string {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) return `not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`;
  const status = Number(m[2]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) return `malformed header line: ${JSON.stringify(line.slice(0, 80))}`;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const connection = (headers['connection'] ?? '').toLowerCase();
  const keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  let length: number | null = null;
  let framing = '';
  if (headers['transfer-encoding'] !== undefined) framing = `transfer-encoding: ${headers['transfer-encoding']}`;
  else if (status === 204 || status === 304) length = 0;
  else if (headers['content-length'] === undefined) framing = 'no content-length';
  else if (/^\d{1,15}$/.test(headers['content-length'])) length = Number(headers['content-length']);
  else return `content-length ${JSON.stringify(headers['content-length'])} is not one length`;
  return { status, headers, keepAlive, length, framing };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
