import { ErrorBody, PublishOfferRequest, PublishOfferResponse } from '../../../src-shared/api';
import { err, ok, type Result } from '../../../src-shared/result';
import type { CollectorClient } from '../collector/client';
import { fromResponse, unreachable, type CollectorError } from '../collector/errors';

/**
 * POST /api/v1/offers. Idempotent on the collector's side (the same message answers with the
 * offer already published), so a retry after a crash cannot publish twice. Bodies can be tens of
 * MB (base64 files), hence the longer timeout.
 */
export async function publishOffer(
  client: CollectorClient,
  req: PublishOfferRequest,
  timeoutMs = 120_000,
): Promise<Result<PublishOfferResponse, CollectorError>> {
  const url = `${client.baseUrl}/api/v1/offers`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${client.token}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify(PublishOfferRequest.parse(req)),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return err(unreachable(url, e));
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = ErrorBody.safeParse(json);
    return err(
      fromResponse(url, res.status, body.success ? body.data.error : null, res.headers.get('retry-after')),
    );
  }
  const parsed = PublishOfferResponse.safeParse(json);
  if (!parsed.success) {
    return err({
      code: 'collector_bad_response',
      message: 'Der Tracking-Server hat unerwartet geantwortet.',
      detail: `${url}: ${parsed.error.message.slice(0, 500)}`,
      status: res.status,
      transient: true,
    });
  }
  return ok(parsed.data);
}
