import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { listenAndAnnounce } from './answer';

/**
 * Limit (c) of the sync benchmark: loopback HTTP moving the sync's bytes and nothing else.
 * `GET /p/{i}` answers page i with exactly as many bytes as the collector's page i had (the real
 * bytes of one page, repeated), as JSON like the collector; computing nothing, storing nothing.
 * argv[2]: a file with the page sizes (JSON array) and argv[3]: a file with one real page.
 */
const sizes = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as number[];
const sample = readFileSync(process.argv[3]!);
const largest = Math.max(1, ...sizes);
const bytes = Buffer.alloc(largest);
for (let at = 0; at < largest; at += sample.length) sample.copy(bytes, at);
const server = createServer((req, res) => {
  const i = Number((req.url ?? '').split('/')[2]);
  const n = sizes[i] ?? 0;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': n });
  res.end(bytes.subarray(0, n));
});
listenAndAnnounce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
