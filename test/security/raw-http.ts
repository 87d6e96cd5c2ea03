import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the server closed or stalled without a status line */
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** ms from the first byte written to the status line arriving (or the end) */
  ms: number;
}

/**
 * Writes `request` as bytes on a fresh TCP connection and reads the first answer: for requests
 * that fetch() refuses to build (bad percent-encoding, odd methods, broken framing, header
 * injection). `holdOpen`: the socket stays open after writing (a body still "to come").
 */
export function rawRequest(
  origin: string,
  request: string | Buffer,
  opts: { timeoutMs?: number; holdOpen?: boolean } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), Date.now() - started));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const answer = parse(Buffer.concat(chunks), Date.now() - started);
      if (answer.status === 0) return;
      const length = Number(answer.headers['content-length']?.[0] ?? NaN);
      // a complete answer of known length: no need to wait for the server to close
      if (Number.isFinite(length) && Buffer.byteLength(answer.body) >= length) finish();
      if (opts.holdOpen) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    if (!opts.holdOpen) socket.on('end', finish);
  });
}

function parse(whole: Buffer, ms: number): RawAnswer {
  let buf = whole;
  // interim answers (100 Continue) are not the answer: skip to the final one
  for (;;) {
    const t = buf.toString('latin1');
    const end = t.indexOf('\r\n\r\n');
    if (end === -1 || !/^HTTP\/1\.[01] 1\d\d /.test(t) || t.startsWith('HTTP/1.1 101')) break;
    buf = buf.subarray(end + 4);
  }
  const text = buf.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  const headers: Record<string, string[]> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    (headers[k] ??= []).push(line.slice(i + 1).trim());
  }
  return {
    status: m ? Number(m[1]) : 0,
    headers,
    body:
      headEnd === -1
        ? ''
        : buf.subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1')).toString('utf8'),
    ms,
  };
}
