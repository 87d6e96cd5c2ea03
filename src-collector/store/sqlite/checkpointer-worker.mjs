// WAL checkpoints on a thread of their own. Run between the hit writer's commits, a checkpoint
// of a busy second took 20–40 ms, and every hit waiting for the next commit waited for it too.
// A PASSIVE checkpoint never blocks a writer (SQLite lets one checkpointer copy WAL frames into
// the database while a writer appends), so here it costs the writer nothing. Frequent, so each
// is short and the WAL, which starts over once fully checkpointed, stays small.
// Plain JavaScript, like the writer, so it loads without a TS loader.
import { clearInterval, setInterval } from 'node:timers';
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const EVERY_MS = 200;

const port = workerData.port;
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');

function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or closing: the next tick (or the final one) tries again
  }
}

const timer = setInterval(checkpoint, EVERY_MS);

port.on('message', (msg) => {
  if (msg.type !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  port.postMessage({ id: msg.id, ok: true });
  port.close();
});
