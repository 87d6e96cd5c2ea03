/**
 * Version 6 (issue 15): an event names its offer. A landing hit is written with the offer whose
 * page it was (store/postgres/events.ts); events of landing pages recorded before carry the
 * offer of their message (an offer belongs to exactly one message). A nullable column without a
 * default: adding it rewrites no row.
 */
export const version = 6;
export const sql = `
ALTER TABLE events ADD COLUMN offer_id TEXT;
UPDATE events e SET offer_id = o.id FROM offers o
  WHERE o.message_id = e.message_id AND e.type LIKE 'landing.%';
`;
