/**
 * Version 10 (issue 17 part 2, docs/privacy.md „Aufbewahrung, Auskunft, Löschung“):
 * - the account's retention period for behavioural events (default 365 days);
 * - legal holds per contact (account + lower-cased address) with a reason;
 * - sync tombstones: event ids retention or an erasure removed, pulled by the desktops
 *   (`GET /api/v1/events/deleted`) so they drop them from their caches; no address in them;
 * - the erasure log: when, why (the reason with the address masked), counts per kind, a random id;
 * - the evidence chain may blank an erased record: `record` becomes '' and `ref` `erased:<position>`,
 *   while position, kind, record_hash and link stay, so the chain still verifies. Nothing else
 *   may change or delete a chained row.
 */
export const version = 10;
export const sql = `
CREATE TABLE privacy_settings (
  account_id TEXT PRIMARY KEY,
  retention_days INTEGER NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 36500)
) STRICT;

CREATE TABLE legal_holds (
  account_id TEXT NOT NULL,
  email TEXT NOT NULL,
  reason TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  PRIMARY KEY (account_id, email)
) STRICT;

CREATE TABLE sync_tombstones (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  deleted_at TEXT NOT NULL,
  -- an erasure tells the desktops to forget the event's address too, retention only the event
  cause TEXT NOT NULL DEFAULT 'retention' CHECK (cause IN ('retention', 'erasure'))
) STRICT;
CREATE INDEX sync_tombstones_account ON sync_tombstones(account_id, id);

CREATE TABLE subject_erasures (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  erased_at TEXT NOT NULL,
  cause TEXT NOT NULL CHECK (cause IN ('request', 'retention')),
  reason TEXT NOT NULL,
  counts TEXT NOT NULL
) STRICT;

ALTER TABLE evidence_chain ADD COLUMN erased_at TEXT;

DROP TRIGGER evidence_chain_no_update;
CREATE TRIGGER evidence_chain_no_update BEFORE UPDATE ON evidence_chain
  WHEN NOT (NEW.record = '' AND NEW.ref = 'erased:' || OLD.position AND NEW.erased_at IS NOT NULL
    AND NEW.account_id = OLD.account_id AND NEW.position = OLD.position AND NEW.kind = OLD.kind
    AND NEW.record_hash = OLD.record_hash AND NEW.link = OLD.link
    AND NEW.message_id IS OLD.message_id AND NEW.appended_at = OLD.appended_at)
  BEGIN SELECT RAISE(ABORT, 'the evidence chain is append-only (only an erasure may blank a record)'); END;
`;
