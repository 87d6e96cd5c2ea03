import { createServer } from 'node:http';

/**
 * Ceiling (b): node:http answering the pixel GIF and the click redirect, recording nothing.
 * Same URL shapes as the collector: /o/{token}.gif and /c/{token}/{n}.
 */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const server = createServer((req, res) => {
  if (req.url?.startsWith('/c/')) {
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
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object')
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
