/**
 * Version 4 (issue 21): an account can say its office shares a network with prospects; the
 * classifier then takes only the sender's own addresses for the sender, not their whole block.
 */
export const version = 4;
export const sql = `
ALTER TABLE accounts ADD COLUMN shares_network_with_prospects INTEGER NOT NULL DEFAULT 0;
`;
