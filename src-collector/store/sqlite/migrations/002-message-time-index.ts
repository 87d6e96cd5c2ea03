/**
 * Version 2: the classifier's context reads a message's most recent hits by time; without this
 * index that read sorted every hit of the message on each batch.
 */
export const version = 2;
export const sql = `
CREATE INDEX events_message_time ON events(message_id, occurred_at, id);
`;
