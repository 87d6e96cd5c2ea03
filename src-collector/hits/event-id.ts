import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (version 7 layout: 48-bit milliseconds, then random bits). Events are
 * keyed by id; random v4 ids scatter every commit's rows over the whole index, so each commit
 * rewrote one index page per hit. Time-ordered ids append to the index's last pages instead.
 * Ids stay unique and unguessable enough for what they are (not secrets: tokens are).
 */
export function newEventId(now = Date.now()): string {
  const ts = now.toString(16).padStart(12, '0');
  const r = randomUUID();
  // r: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (variant bits already RFC 4122)
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(15)}`;
}
