/**
 * Version 8 (issue 16): the evidence chain. One linear chain per account of hashed records
 * (docs/evidence.md), the chainer's cursor, signed heads and their timestamps. Append-only:
 * triggers refuse to change or delete what was chained or signed.
 */
export const version = 8;
export const sql = `
CREATE TABLE evidence_chain (
  account_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  ref TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT,
  -- the canonical JSON that was hashed, byte for byte
  record TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  link TEXT NOT NULL,
  appended_at TEXT NOT NULL,
  PRIMARY KEY (account_id, position),
  UNIQUE (account_id, ref)
) STRICT;
CREATE INDEX evidence_chain_message ON evidence_chain(account_id, message_id);
-- what the chainer has chained of offers and confirmations (EvidenceChainStore.chainedIds)
CREATE INDEX evidence_chain_kind ON evidence_chain(account_id, kind);

CREATE TABLE evidence_chain_subjects (
  account_id TEXT NOT NULL,
  email TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (account_id, email, position)
) STRICT;

CREATE TABLE evidence_chain_heads (
  account_id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  link TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE evidence_signed_heads (
  account_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  link TEXT NOT NULL,
  head TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  PRIMARY KEY (account_id, position)
) STRICT;

CREATE TABLE evidence_head_timestamps (
  account_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  tsa TEXT NOT NULL,
  response TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (account_id, position)
) STRICT;

CREATE TRIGGER evidence_chain_no_update BEFORE UPDATE ON evidence_chain
  BEGIN SELECT RAISE(ABORT, 'the evidence chain is append-only'); END;
CREATE TRIGGER evidence_chain_no_delete BEFORE DELETE ON evidence_chain
  BEGIN SELECT RAISE(ABORT, 'the evidence chain is append-only'); END;
CREATE TRIGGER evidence_signed_heads_no_update BEFORE UPDATE ON evidence_signed_heads
  BEGIN SELECT RAISE(ABORT, 'signed heads are kept as signed'); END;
CREATE TRIGGER evidence_signed_heads_no_delete BEFORE DELETE ON evidence_signed_heads
  BEGIN SELECT RAISE(ABORT, 'signed heads are kept as signed'); END;
`;
