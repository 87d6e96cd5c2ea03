/**
 * Version 3: events_message (message_id, seq) answered no query since version 2 — every read by
 * message orders by time and uses events_message_time. It still cost each stored hit a sixth
 * B-tree insert and each commit its dirty pages.
 */
export const version = 3;
export const sql = `
DROP INDEX events_message;
`;
