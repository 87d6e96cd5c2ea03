import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface BytesResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * the whole body, in an ArrayBuffer of its own (transferable to another thread): a new one, or
   * the start of one `alloc` gave
   */
  bytes: Uint8Array;
}

/**
 * A GET whose whole answer is wanted as bytes, over node:http(s) instead of fetch (a first sync
 * reads its pages with direct-get.ts and comes here for answers framed otherwise): a first sync
 * reads ~340 MB of pages per 1,000,000 events, and fetch's web streams cost about twice the CPU
 * of node:http for that (measured on 200 pages of 1.7 MB: 1.8 s against 0.9 s). Redirects are not
 * followed (the caller refuses them: the token must not go elsewhere). Rejects on a network
 * failure or when the answer did not complete within `timeoutMs`. `onHeaders`: the status and
 * headers as soon as they are here, before the body. `alloc`: a buffer for a body of the length
 * the answer announces (a first sync reuses the ones its writer is done with).
 */
export function getBytes(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  onHeaders?: (status: number, headers: IncomingHttpHeaders) => void,
  alloc: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Promise<BytesResponse> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      onHeaders?.(res.statusCode ?? 0, res.headers);
      const length = Number(res.headers['content-length']);
      // with a length, one buffer filled as the chunks come; otherwise the chunks joined at the end
      let into = Number.isSafeInteger(length) && length >= 0 ? alloc(length) : null;
      let at = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (into && at + chunk.length <= into.length) into.set(chunk, at);
        else {
          // more than announced: kept, and the length is then what came
          if (into) chunks.push(Buffer.from(into.buffer, into.byteOffset, at));
          into = null;
          chunks.push(chunk);
        }
        at += chunk.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        if (!res.complete) return reject(new Error('answer cut off'));
        const bytes = into
          ? at === into.length
            ? into
            : into.slice(0, at)
          : new Uint8Array(Buffer.concat(chunks));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
