import { createServer } from 'node:http';

/** The ceiling: a bare node:http server answering the same GIF and recording nothing. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const server = createServer((_req, res) => {
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
