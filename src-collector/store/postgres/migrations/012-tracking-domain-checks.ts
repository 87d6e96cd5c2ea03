/**
 * Version 12 (issue 20): a tracking domain goes live only
 * after the collector reached itself through it (DNS, TLS, /healthz). The state, the last probe's
 * outcome and when the next one is due; the secret that proves "this collector" in the probe's
 * answer (shared by every instance on the store). Domains set before this version were already in
 * use: they stay live (verified), the next probe only warns.
 */
export const version = 12;
export const sql = `
ALTER TABLE tracking_domains
  ADD COLUMN state TEXT NOT NULL DEFAULT 'verified' CHECK (state IN ('pending', 'verified', 'failed')),
  ADD COLUMN verified_at TIMESTAMPTZ,
  ADD COLUMN checked_at TIMESTAMPTZ,
  ADD COLUMN check_ok BOOLEAN,
  ADD COLUMN check_code TEXT,
  ADD COLUMN check_detail TEXT,
  ADD COLUMN failures INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN next_check_at TIMESTAMPTZ;
UPDATE tracking_domains SET verified_at = created_at;
CREATE TABLE collector_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
`;
