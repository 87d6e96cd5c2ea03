import { canonicalJson, sha256Hex } from '../../src-shared/evidence/canonical';
import { timestampImprintMatches, timestampRequest } from '../../src-shared/evidence/timestamp';

/**
 * Asks an RFC 3161 timestamp authority (BLITZ_TSA_URL, set by the hosting admin) to stamp a
 * signed head: the imprint is SHA-256 of the head's canonical JSON. Returns the DER response as
 * base64, or an error text; a TSA that is down never blocks the chain.
 */
export async function requestTimestamp(
  tsaUrl: string,
  headBody: unknown,
  timeoutMs = 10_000,
): Promise<{ ok: true; response: string } | { ok: false; error: string }> {
  const digest = sha256Hex(canonicalJson(headBody));
  try {
    const res = await fetch(tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(timestampRequest(digest)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { ok: false, error: `TSA answered ${res.status}` };
    const response = Buffer.from(await res.arrayBuffer()).toString('base64');
    if (!timestampImprintMatches(response, digest))
      return { ok: false, error: 'TSA response not granted or not over this head' };
    return { ok: true, response };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
