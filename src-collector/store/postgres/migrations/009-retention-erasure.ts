/**
 * Version 9 (issue 17 part 2), as SQLite's version 10: retention setting, legal holds, sync
 * tombstones, the erasure log, and an evidence chain that lets an erasure blank a record's
 * content (record '' and ref `erased:<position>`) while its hash and link stay.
 */
export const version = 9;
export const sql = `
CREATE TABLE privacy_settings (
  account_id TEXT PRIMARY KEY,
  retention_days INTEGER NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 36500)
);

CREATE TABLE legal_holds (
  account_id TEXT NOT NULL,
  email TEXT NOT NULL,
  reason TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, email)
);

-- written under LOCK TABLE … SHARE ROW EXCLUSIVE, so ids commit in order and a cursor never skips
CREATE TABLE sync_tombstones (
  id BIGSERIAL PRIMARY KEY,
  account_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  deleted_at TIMESTAMPTZ NOT NULL,
  -- an erasure tells the desktops to forget the event's address too, retention only the event
  cause TEXT NOT NULL DEFAULT 'retention' CHECK (cause IN ('retention', 'erasure'))
);
CREATE INDEX sync_tombstones_account ON sync_tombstones(account_id, id);

CREATE TABLE subject_erasures (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  erased_at TIMESTAMPTZ NOT NULL,
  cause TEXT NOT NULL CHECK (cause IN ('request', 'retention')),
  reason TEXT NOT NULL,
  counts TEXT NOT NULL
);

ALTER TABLE evidence_chain ADD COLUMN erased_at TIMESTAMPTZ;

CREATE FUNCTION evidence_chain_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.record = '' AND NEW.ref = 'erased:' || OLD.position
     AND NEW.erased_at IS NOT NULL AND NEW.account_id = OLD.account_id
     AND NEW.position = OLD.position AND NEW.kind = OLD.kind AND NEW.record_hash = OLD.record_hash
     AND NEW.link = OLD.link AND NEW.message_id IS NOT DISTINCT FROM OLD.message_id
     AND NEW.appended_at = OLD.appended_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the evidence chain is append-only (only an erasure may blank a record)';
END $$;
DROP TRIGGER evidence_chain_append_only ON evidence_chain;
CREATE TRIGGER evidence_chain_append_only BEFORE UPDATE OR DELETE ON evidence_chain
  FOR EACH ROW EXECUTE FUNCTION evidence_chain_erasure_only();
`;
