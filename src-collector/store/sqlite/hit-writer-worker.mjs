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
import { hitBatchWriter } from './hit-batch.mjs';

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

const writeAll = hitBatchWriter(db);

function commit(msgs) {
  try {
    const { seqs, accounts } = writeAll(msgs.map((m) => m.batch));
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
