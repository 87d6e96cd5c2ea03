/**
 * Version 7 (issue 16): the evidence chain, as SQLite's version 8. The row of
 * evidence_chain_heads is the account's chain lock (SELECT … FOR UPDATE): two instances
 * appending at once take turns, so the chain stays linear. Append-only by trigger.
 */
export const version = 7;
export const sql = `
CREATE TABLE evidence_chain (
  account_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  ref TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT,
  -- the canonical JSON that was hashed, byte for byte
  record TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  link TEXT NOT NULL,
  appended_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, position),
  UNIQUE (account_id, ref)
);
CREATE INDEX evidence_chain_message ON evidence_chain(account_id, message_id);
-- what the chainer has chained of offers and confirmations (EvidenceChainStore.chainedIds)
CREATE INDEX evidence_chain_kind ON evidence_chain(account_id, kind);

CREATE TABLE evidence_chain_subjects (
  account_id TEXT NOT NULL,
  email TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (account_id, email, position)
);

CREATE TABLE evidence_chain_heads (
  account_id TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  link TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE evidence_signed_heads (
  account_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  link TEXT NOT NULL,
  head TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, position)
);

CREATE TABLE evidence_head_timestamps (
  account_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  tsa TEXT NOT NULL,
  response TEXT NOT NULL,
  added_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, position)
);

CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the evidence chain and its signed heads are append-only';
END $$;
CREATE TRIGGER evidence_chain_append_only BEFORE UPDATE OR DELETE ON evidence_chain
  FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_signed_heads_append_only BEFORE UPDATE OR DELETE ON evidence_signed_heads
  FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
`;
