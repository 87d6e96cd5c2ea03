import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { answerHit, isClick, listenAndAnnounce } from './answer';

/**
 * Baseline (c): the obvious collector. Every request INSERTs its row in its own transaction
 * (SQLite WAL, synchronous=FULL, so one fsync per hit) and answers after it. No classification,
 * no token lookup: only the durable write that Blitz's group commit amortises.
 * argv[2]: the database file.
 */
const file = process.argv[2];
if (!file) throw new Error('usage: naive-sqlite.ts FILE');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, token TEXT NOT NULL, at TEXT NOT NULL, ua TEXT, ip TEXT)',
);
const insert = db.prepare('INSERT INTO hits (kind, token, at, ua, ip) VALUES (?, ?, ?, ?, ?)');

const server = createServer((req, res) => {
  const url = req.url ?? '';
  const click = isClick(url);
  insert.run(
    click ? 'click' : 'open',
    url.split('/')[2] ?? '',
    new Date().toISOString(),
    req.headers['user-agent'] ?? null,
    req.socket.remoteAddress ?? null,
  );
  answerHit(res, click);
});
listenAndAnnounce(server);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
