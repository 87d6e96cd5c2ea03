/**
 * Version 11 (issue 16, cost of an append): evidence_chain loses two indexes that every append
 * wrote for every event and no query read for one. evidence_chain_message served nothing (an
 * export selects through evidence_chain_subjects and the primary key, then filters by message);
 * evidence_chain_kind served only EvidenceChainStore.chainedIds, which asks for the offers,
 * legal confirmations and consents chained. A partial index of exactly those rows, with their
 * refs (an index-only scan), takes its place; event and registration rows, nearly all of the
 * chain, no longer enter it. The query names the same kind list, so the planner can use it.
 */
export const version = 11;
export const sql = `
DROP INDEX evidence_chain_message;
DROP INDEX evidence_chain_kind;
CREATE INDEX evidence_chain_kind_refs ON evidence_chain(account_id, kind, ref)
  WHERE kind IN ('offer', 'legal_confirmation', 'consent');
`;
