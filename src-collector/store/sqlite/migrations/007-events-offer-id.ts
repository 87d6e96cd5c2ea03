/**
 * Version 7 (issue 15): an event names its offer. A landing hit is written with the offer whose
 * page it was (store/sqlite/hit-batch-sql.mjs); events of landing pages recorded before carry the
 * offer of their message (an offer belongs to exactly one message).
 */
export const version = 7;
export const sql = `
ALTER TABLE events ADD COLUMN offer_id TEXT;
UPDATE events SET offer_id = (SELECT o.id FROM offers o WHERE o.message_id = events.message_id)
  WHERE type LIKE 'landing.%';
`;
