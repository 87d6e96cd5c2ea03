/**
 * Version 11 (issue 20): an account's own tracking host name (`t.muster-immobilien.de`). A host
 * belongs to one account, an account has at most one; gone with its account.
 */
export const version = 11;
export const sql = `
CREATE TABLE tracking_domains (
  host TEXT PRIMARY KEY,
  account_id TEXT NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
) STRICT;
`;
