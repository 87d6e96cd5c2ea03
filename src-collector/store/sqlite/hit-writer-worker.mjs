// The SQLite hit writer, on its own thread: commits (and their fsyncs) and WAL checkpoints
// happen here, so the event loop keeps answering requests while a batch is made durable.
// Plain JavaScript so it loads in any runtime (tsx, vitest, a bundler) without a TS loader.
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
// checkpoints run from a timer on this thread, never inside a commit of a waiting batch
db.pragma('wal_autocheckpoint = 0');

const s = {
  nextSeq: db.prepare('UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
  messageOwner: db.prepare('SELECT user_id FROM messages WHERE id = ?'),
  insertEvent: db.prepare(
    `INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
       verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  ),
  eventById: db.prepare('SELECT account_id, verdict, reasons, corrected_from, ip_owner FROM events WHERE id = ?'),
  setClassification: db.prepare('UPDATE events SET verdict = ?, reasons = ?, ip_owner = ?, seq = ? WHERE id = ?'),
};

function nextSeq(accountId) {
  const row = s.nextSeq.get(accountId);
  if (!row) throw new Error(`unknown account ${accountId}`);
  return row.last_seq;
}

const write = db.transaction((batch, revisions) => {
  const accounts = new Set();
  const owners = new Map();
  const refs = batch.map((h) => {
    let owner = owners.get(h.messageId);
    if (owner === undefined) {
      const row = s.messageOwner.get(h.messageId);
      if (!row) throw new Error(`unknown message ${h.messageId}`);
      owner = row.user_id;
      owners.set(h.messageId, owner);
    }
    const seq = nextSeq(h.accountId);
    accounts.add(h.accountId);
    s.insertEvent.run(
      h.id, h.accountId, owner, h.messageId, h.token, seq, h.type, h.recipientEmail, h.occurredAt,
      JSON.stringify(h.detail), h.classification.verdict, JSON.stringify(h.classification.reasons),
      h.classification.ipOwner, h.signals.ipPrefix, h.uaFamily, h.os, JSON.stringify(h.signals),
    );
    return { id: h.id, seq };
  });
  for (const r of revisions) {
    const row = s.eventById.get(r.eventId);
    if (!row || row.corrected_from !== null) continue;
    if (row.verdict === r.verdict && row.reasons === JSON.stringify(r.reasons)) continue;
    const seq = nextSeq(row.account_id);
    accounts.add(row.account_id);
    s.setClassification.run(r.verdict, JSON.stringify(r.reasons), row.ip_owner, seq, r.eventId);
  }
  return { refs, accounts: [...accounts] };
});

let dirty = false;
const checkpoint = setInterval(() => {
  if (!dirty) return;
  dirty = false;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // a busy database: the next tick tries again
    dirty = true;
  }
}, 1000);

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    clearInterval(checkpoint);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // closing anyway
    }
    db.close();
    parentPort.postMessage({ id: msg.id, ok: true });
    parentPort.close();
    return;
  }
  try {
    const out = write.immediate(msg.batch, msg.revisions);
    dirty = true;
    parentPort.postMessage({ id: msg.id, ok: true, ...out });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
