import { createServer } from 'node:http';
import postgres from 'postgres';

/**
 * Baseline (c, PostgreSQL): every request INSERTs its row as its own transaction (autocommit,
 * synchronous_commit on: one WAL flush per hit, though PostgreSQL may share flushes between
 * concurrent commits) over a pool of 10 connections, and answers after the commit.
 * DATABASE_URL: the database (with ?search_path= for a scratch schema).
 */
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL needed');
const sql = postgres(url, { max: 10, onnotice: () => {} });
await sql`CREATE TABLE IF NOT EXISTS hits (id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, token TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, ua TEXT, ip TEXT)`;

const server = createServer((req, res) => {
  const u = req.url ?? '';
  const click = u.startsWith('/c/');
  sql`INSERT INTO hits (kind, token, at, ua, ip) VALUES (${click ? 'click' : 'open'}, ${u.split('/')[2] ?? ''}, now(),
      ${req.headers['user-agent'] ?? null}, ${req.socket.remoteAddress ?? null})`.then(
    () => {
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
    },
    () => {
      res.writeHead(503).end();
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object')
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => void sql.end({ timeout: 2 }).then(() => process.exit(0))));
