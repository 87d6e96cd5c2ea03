import { createServer } from 'node:http';
import postgres from 'postgres';
import { answerHit, isClick, listenAndAnnounce } from './answer';

/**
 * Baseline (c, PostgreSQL): every request INSERTs its row as its own transaction (autocommit,
 * synchronous_commit on: one WAL flush per hit, though PostgreSQL may share flushes between
 * concurrent commits) over a pool of 10 connections, and answers after the commit.
 * DATABASE_URL: the database (with ?search_path= for a scratch schema).
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL needed');
const sql = postgres(url, { max: 10, onnotice: () => {} });
await sql`CREATE TABLE IF NOT EXISTS hits (id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, token TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, ua TEXT, ip TEXT)`;

const server = createServer((req, res) => {
  const u = req.url ?? '';
  const click = isClick(u);
  sql`INSERT INTO hits (kind, token, at, ua, ip) VALUES (${click ? 'click' : 'open'}, ${u.split('/')[2] ?? ''}, now(),
      ${req.headers['user-agent'] ?? null}, ${req.socket.remoteAddress ?? null})`.then(
    () => answerHit(res, click),
    () => {
      res.writeHead(503).end();
    },
  );
});
listenAndAnnounce(server);
process.on('SIGTERM', () => server.close(() => void sql.end({ timeout: 2 }).then(() => process.exit(0))));
