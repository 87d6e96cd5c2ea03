/**
 * Version 12 (issue 16, cost of an append), as PostgreSQL's version 11: evidence_chain loses
 * evidence_chain_message (read by no query) and evidence_chain_kind (read only by chainedIds, for
 * offers, legal confirmations and consents); a partial index of exactly those rows with their refs
 * takes its place, so event and registration rows no longer enter either. SQLite uses a partial
 * index only when the query repeats its WHERE term, as chainedIds does.
 */
export const version = 12;
export const sql = `
DROP INDEX evidence_chain_message;
DROP INDEX evidence_chain_kind;
CREATE INDEX evidence_chain_kind_refs ON evidence_chain(account_id, kind, ref)
  WHERE kind IN ('offer', 'legal_confirmation', 'consent');
`;
