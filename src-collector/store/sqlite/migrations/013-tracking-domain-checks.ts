/**
 * Version 13 (issue 20): a tracking domain goes live only
 * after the collector reached itself through it (DNS, TLS, /healthz). The state, the last probe's
 * outcome and when the next one is due; the secret that proves "this collector" in the probe's
 * answer (shared by every instance on the store). Domains set before this version were already in
 * use: they stay live (verified), the next probe only warns.
 */
export const version = 13;
export const sql = `
ALTER TABLE tracking_domains ADD COLUMN state TEXT NOT NULL DEFAULT 'verified'
  CHECK (state IN ('pending', 'verified', 'failed'));
ALTER TABLE tracking_domains ADD COLUMN verified_at TEXT;
ALTER TABLE tracking_domains ADD COLUMN checked_at TEXT;
ALTER TABLE tracking_domains ADD COLUMN check_ok INTEGER;
ALTER TABLE tracking_domains ADD COLUMN check_code TEXT;
ALTER TABLE tracking_domains ADD COLUMN check_detail TEXT;
ALTER TABLE tracking_domains ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracking_domains ADD COLUMN next_check_at TEXT;
UPDATE tracking_domains SET verified_at = created_at;
CREATE TABLE collector_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`;
