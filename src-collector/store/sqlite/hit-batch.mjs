// The SQLite event write path: the HitBatch codec and the ONE event INSERT, used by the store on
// the calling thread (':memory:', writerThread off) and by hit-writer-worker.mjs on its own.
// Plain JavaScript so the worker loads it in any runtime (tsx, vitest, a bundle) without a TS
// loader; hit-batch.d.mts types it for the TypeScript side.
//
// A batch crosses to the worker as columns (one array of strings per field, JSON already
// serialised): cloning that is a copy of strings, not a walk over nested objects per hit.

/** a message's sender never changes: memoised per writer, at most this many */
const OWNER_MEMO_MAX = 50_000;

/** @param {readonly import('../types').NewHit[]} hits @param {readonly import('../types').Revision[]} revisions */
export function encodeHitBatch(hits, revisions = []) {
  const b = {
    id: [],
    accountId: [],
    messageId: [],
    offerId: [],
    token: [],
    type: [],
    recipientEmail: [],
    occurredAt: [],
    detail: [],
    verdict: [],
    reasons: [],
    ipOwner: [],
    ipPrefix: [],
    uaFamily: [],
    os: [],
    signals: [],
    revisions: { eventId: [], verdict: [], reasons: [] },
  };
  for (const h of hits) {
    b.id.push(h.id);
    b.accountId.push(h.accountId);
    b.messageId.push(h.messageId);
    b.offerId.push(h.offerId);
    b.token.push(h.token);
    b.type.push(h.type);
    b.recipientEmail.push(h.recipientEmail);
    b.occurredAt.push(h.occurredAt);
    b.detail.push(JSON.stringify(h.detail));
    b.verdict.push(h.classification.verdict);
    b.reasons.push(JSON.stringify(h.classification.reasons));
    b.ipOwner.push(h.classification.ipOwner);
    b.ipPrefix.push(h.signals.ipPrefix);
    b.uaFamily.push(h.uaFamily);
    b.os.push(h.os);
    b.signals.push(JSON.stringify(h.signals));
  }
  for (const r of revisions) {
    b.revisions.eventId.push(r.eventId);
    b.revisions.verdict.push(r.verdict);
    b.revisions.reasons.push(JSON.stringify(r.reasons));
  }
  return b;
}

/**
 * Prepares the statements on `db` and returns `write(batches)`: every batch in ONE immediate
 * transaction, in order; each batch's hits take consecutive seqs per account, then its revisions
 * (they may target hits of the batch or of one before) each take a new seq.
 * @param {import('better-sqlite3').Database} db
 */
export function hitBatchWriter(db) {
  const s = {
    addSeq: db.prepare('UPDATE accounts SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq'),
    messageOwner: db.prepare('SELECT user_id FROM messages WHERE id = ?'),
    insertEvent: db.prepare(
      `INSERT INTO events (id, account_id, user_id, message_id, offer_id, token, seq, type, recipient_email,
         occurred_at, detail, verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
    ),
    eventById: db.prepare(
      'SELECT account_id, verdict, reasons, corrected_from, ip_owner FROM events WHERE id = ?',
    ),
    setClassification: db.prepare(
      'UPDATE events SET verdict = ?, reasons = ?, ip_owner = ?, seq = ? WHERE id = ?',
    ),
  };
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

  /** reserves `n` consecutive seqs of the account; returns the last one before them */
  function reserveSeqs(accountId, n) {
    const row = s.addSeq.get(n, accountId);
    if (!row) throw new Error(`unknown account ${accountId}`);
    return row.last_seq - n;
  }

  function writeBatch(b, accounts) {
    const n = b.id.length;
    const counts = new Map();
    for (const a of b.accountId) counts.set(a, (counts.get(a) ?? 0) + 1);
    const next = new Map();
    for (const [a, count] of counts) {
      next.set(a, reserveSeqs(a, count));
      accounts.add(a);
    }
    const seqs = new Array(n);
    for (let i = 0; i < n; i++) {
      const accountId = b.accountId[i];
      const seq = next.get(accountId) + 1;
      next.set(accountId, seq);
      seqs[i] = seq;
      s.insertEvent.run(
        b.id[i],
        accountId,
        ownerOf(b.messageId[i]),
        b.messageId[i],
        b.offerId[i],
        b.token[i],
        seq,
        b.type[i],
        b.recipientEmail[i],
        b.occurredAt[i],
        b.detail[i],
        b.verdict[i],
        b.reasons[i],
        b.ipOwner[i],
        b.ipPrefix[i],
        b.uaFamily[i],
        b.os[i],
        b.signals[i],
      );
    }
    const r = b.revisions;
    for (let i = 0; i < r.eventId.length; i++) {
      const row = s.eventById.get(r.eventId[i]);
      if (!row || row.corrected_from !== null) continue;
      if (row.verdict === r.verdict[i] && row.reasons === r.reasons[i]) continue;
      const seq = reserveSeqs(row.account_id, 1) + 1;
      accounts.add(row.account_id);
      s.setClassification.run(r.verdict[i], r.reasons[i], row.ip_owner, seq, r.eventId[i]);
    }
    return seqs;
  }

  const writeAll = db.transaction((batches) => {
    const accounts = new Set();
    const seqs = batches.map((b) => writeBatch(b, accounts));
    return { seqs, accounts: [...accounts] };
  });

  return (batches) => writeAll.immediate(batches);
}
