// The SQLite hit writer, on its own thread: commits (and their fsyncs) happen here, so the
// event loop keeps answering requests while a batch is made durable. WAL checkpoints run on
// another thread (checkpointer-worker.mjs).
// Plain JavaScript so it loads in any runtime (tsx, vitest, a bundler) without a TS loader.
//
// Group commit across batches: while one transaction commits, the main thread keeps sending
// batches; when this thread is free again it takes every batch that has arrived (in order) into
// ONE transaction, so the commit rate stays low and the batch size follows the load.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** fields per row in a batch's flat `rows` array (worker-client.ts writes them in this order) */
const ROW_FIELDS = 15;
const OWNER_MEMO_MAX = 50_000;

const port = workerData.port;
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
// the indexes of recent events stay in memory (default cache is 2 MB)
db.pragma('cache_size = -65536');
// the checkpointer thread checkpoints, never a commit of a waiting batch
db.pragma('wal_autocheckpoint = 0');

const s = {
  addSeq: db.prepare('UPDATE accounts SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq'),
  messageOwner: db.prepare('SELECT user_id FROM messages WHERE id = ?'),
  insertEvent: db.prepare(
    `INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
       verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  ),
  eventById: db.prepare(
    'SELECT account_id, verdict, reasons, corrected_from, ip_owner FROM events WHERE id = ?',
  ),
  setClassification: db.prepare(
    'UPDATE events SET verdict = ?, reasons = ?, ip_owner = ?, seq = ? WHERE id = ?',
  ),
};

/** a message's sender never changes */
const owners = new Map();

function ownerOf(messageId) {
  let owner = owners.get(messageId);
  if (owner !== undefined) return owner;
  const row = s.messageOwner.get(messageId);
  if (!row) throw new Error(`unknown message ${messageId}`);
  owner = row.user_id;
  if (owners.size >= OWNER_MEMO_MAX) owners.clear();
  owners.set(messageId, owner);
  return owner;
}

/** Reserves `n` consecutive seqs of the account; returns the last one before them. */
function reserveSeqs(accountId, n) {
  const row = s.addSeq.get(n, accountId);
  if (!row) throw new Error(`unknown account ${accountId}`);
  return row.last_seq - n;
}

/** One batch inside the open transaction: its rows take consecutive seqs per account, in order. */
function writeBatch(msg, accounts) {
  const rows = msg.rows;
  const n = rows.length / ROW_FIELDS;
  const counts = new Map();
  for (let i = 0; i < n; i++) {
    const a = rows[i * ROW_FIELDS + 1];
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  const next = new Map();
  for (const [a, count] of counts) {
    next.set(a, reserveSeqs(a, count));
    accounts.add(a);
  }
  const seqs = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * ROW_FIELDS;
    const accountId = rows[o + 1];
    const messageId = rows[o + 2];
    const seq = next.get(accountId) + 1;
    next.set(accountId, seq);
    seqs[i] = seq;
    s.insertEvent.run(
      rows[o],
      accountId,
      ownerOf(messageId),
      messageId,
      rows[o + 3],
      seq,
      rows[o + 4],
      rows[o + 5],
      rows[o + 6],
      rows[o + 7],
      rows[o + 8],
      rows[o + 9],
      rows[o + 10],
      rows[o + 11],
      rows[o + 12],
      rows[o + 13],
      rows[o + 14],
    );
  }
  // revisions: [eventId, verdict, reasonsJson] triples, after the rows (they may revise them)
  const revs = msg.revisions;
  for (let i = 0; i < revs.length; i += 3) {
    const row = s.eventById.get(revs[i]);
    if (!row || row.corrected_from !== null) continue;
    if (row.verdict === revs[i + 1] && row.reasons === revs[i + 2]) continue;
    const seq = reserveSeqs(row.account_id, 1) + 1;
    accounts.add(row.account_id);
    s.setClassification.run(revs[i + 1], revs[i + 2], row.ip_owner, seq, revs[i]);
  }
  return seqs;
}

const writeAll = db.transaction((msgs) => {
  const accounts = new Set();
  const seqs = msgs.map((m) => writeBatch(m, accounts));
  return { seqs, accounts: [...accounts] };
});

function commit(msgs) {
  try {
    const { seqs, accounts } = writeAll.immediate(msgs);
    // every account goes with the first reply only: the main thread wakes listeners once
    msgs.forEach((m, i) =>
      port.postMessage({ id: m.id, ok: true, seqs: seqs[i], accounts: i === 0 ? accounts : [] }),
    );
  } catch (e) {
    if (msgs.length > 1) {
      // one bad batch must not fail the others that happened to share its transaction
      for (const m of msgs) commit([m]);
      return;
    }
    const m = msgs[0];
    port.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

function close(msg) {
  db.close();
  port.postMessage({ id: msg.id, ok: true });
  port.close();
}

port.on('message', (first) => {
  const msgs = [first];
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
    msgs.push(m.message);
  let writes = [];
  for (const m of msgs) {
    if (m.type === 'close') {
      if (writes.length > 0) commit(writes);
      writes = [];
      close(m);
      return;
    }
    writes.push(m);
  }
  if (writes.length > 0) commit(writes);
});
