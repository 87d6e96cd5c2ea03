import type { Server, ServerResponse } from 'node:http';

/**
 * What every baseline server answers, byte for byte what the collector answers: the 43-byte GIF
 * for /o/{token}.gif, a 302 for /c/{token}/{n}. One copy, so the baselines differ only in what
 * they record.
 */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

export const isClick = (url: string | undefined): boolean => (url ?? '').startsWith('/c/');

export function answerHit(res: ServerResponse, click: boolean): void {
  if (click) {
    res.writeHead(302, {
      location: 'https://bench.example/',
      'content-length': 0,
      'cache-control': 'no-store',
    });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'image/gif',
    'content-length': GIF.length,
    'cache-control': 'no-store',
  });
  res.end(GIF);
}

/** listens on a free loopback port and prints {"url": …} for the bench (bench/lib/proc.ts) */
export function listenAndAnnounce(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    if (addr && typeof addr === 'object')
      process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
  });
}
