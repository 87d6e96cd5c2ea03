import type { IncomingHttpHeaders } from 'node:http';
import { TrackingDomainResponse } from '../../../src-shared/tracking-domain';

/** a PUT or verify of the tracking domain waits for the collector's probe of it (10 s at most) */
const DOMAIN_PROBE_TIMEOUT_MS = 30_000;
import {
  ContactConsent,
  ContactConsentPage,
  ContactModeUpdate,
  type ConsentMode,
} from '../../../src-shared/consent';
import { msg } from '../../../src-shared/messages';
import { MailboxSignalResponse, type MailboxSignalRequest } from '../../../src-shared/mailbox';
import type { z } from 'zod';
import {
  EVENTS_NEXT_HEADER,
  ErrorBody,
  MeResponse,
  OfferEvidenceResponse,
  OfferStatusResponse,
  OfferStatusUpdate,
  type OfferStatus,
  PublishOfferRequest,
  PublishOfferResponse,
  ReceivedEventsResponse,
  RegisterMessageRequest,
  RegisterMessageResponse,
  Settings,
  type SettingsUpdate,
} from '../../../src-shared/api';
import {
  ContactLockUpdate,
  DealLockUpdate,
  DeclarationClaimResponse,
  DeclarationsResponse,
  LandingLockSettings,
  LockAck,
  PropertyLockUpdate,
} from '../../../src-shared/api';
import type { EventsShape } from '../../../src-shared/event-rows';
import { TrackingEvent, type Verdict } from '../../../src-shared/events';
import { EvidenceFile } from '../../../src-shared/evidence/format';
import {
  DeletedEventsResponse,
  EraseSubjectRequest,
  ErasureOutcome,
  LegalHold,
  LegalHoldsResponse,
  LiftLegalHoldResponse,
  PrivacySettings,
  SetLegalHoldRequest,
} from '../../../src-shared/privacy';
import { err, ok, type Result } from '../../../src-shared/result';
import { fromResponse, unreachable, type CollectorError } from './errors';
import { createDirectGetter, FramingUnsupported } from './direct-get';
import { getBytes, type BytesResponse } from './get-bytes';

export type CollectorResult<T> = Result<T, CollectorError>;

/**
 * a first sync's pages, read into the fetching thread's own buffers (direct-get.ts); shared by the
 * thread's clients as node:http's global agent is, so a kept-alive connection serves them all
 */
const direct = createDirectGetter();

/**
 * Lets requests made a moment ago reach their sockets. An HTTP agent hands a request its socket
 * on process.nextTick, so one made in a pull's `onBody` (the next page) stayed unwritten while
 * this thread checked and applied the page it came with: the collector sat idle for that time.
 */
const requestsOut = async (): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  // one on a new connection of direct-get.ts goes out once connected, which can take a turn more
  await direct.written();
};

export interface CollectorClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** pullEventsBytesChecked's optional parts */
export interface PullBytesOptions {
  /** the answer's bytes, before they are checked (a request made here goes out meanwhile) */
  onBody?: (bytes: Uint8Array) => void;
  /**
   * the collector's EVENTS_NEXT_HEADER as soon as the headers are here (a request made there goes
   * out while this page's body is still arriving)
   */
  onNext?: (next: number) => void;
  /** the page's shape asked for (src-shared/event-rows.ts; a collector older than it answers `rows` with 400) */
  shape?: EventsShape;
  /** where the body goes (get-bytes.ts); a new buffer by default */
  alloc?: (length: number) => Uint8Array;
}

/** The collector's API v1 over fetch; every answer is validated, every failure is a value. */
export function createCollectorClient(opts: CollectorClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  // node:http for a collector (or a proxy before it) that frames its answers otherwise (direct-get.ts)
  let directFraming = true;

  /** the request and the collector's refusals; the 2xx answer is the caller's to read */
  async function send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    callTimeoutMs: number,
  ): Promise<CollectorResult<{ url: string; res: Response }>> {
    const url = `${base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${opts.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        // a redirect would carry the token to an address it was not saved for
        redirect: 'error',
        signal: AbortSignal.timeout(callTimeoutMs),
      });
    } catch (e) {
      return err(unreachable(url, e));
    }
    if (!res.ok) {
      let json: unknown = null;
      try {
        json = await res.json();
      } catch {
        json = null;
      }
      const parsed = ErrorBody.safeParse(json);
      return err(
        fromResponse(
          url,
          res.status,
          parsed.success ? parsed.data.error : null,
          res.headers.get('retry-after'),
        ),
      );
    }
    return ok({ url, res });
  }

  const badResponse = (url: string, status: number, detail: string): CollectorError => ({
    code: 'collector_bad_response',
    message: msg('collectorBadResponse'),
    detail: `${url}: ${detail.slice(0, 500)}`,
    status,
    transient: true,
  });

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
    callTimeoutMs = timeoutMs,
  ): Promise<CollectorResult<z.infer<S>>> {
    const sent = await send(method, path, body, callTimeoutMs);
    if (!sent.ok) return sent;
    const { url, res } = sent.value;
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return err(badResponse(url, res.status, parsed.error.message));
    return ok(parsed.data);
  }

  /**
   * The same page as its text, checked by `check` (a first sync's bulk path, sync/page-check.ts):
   * the events go to SQLite as the collector wrote them instead of through an object per event.
   */
  async function pullEventsChecked<T>(
    after: number,
    limit: number,
    check: (text: string) => Result<T, string>,
    onBody?: (text: string) => void,
  ): Promise<CollectorResult<T>> {
    const sent = await send('GET', `/api/v1/events?after=${after}&limit=${limit}`, undefined, timeoutMs);
    if (!sent.ok) return sent;
    const { url, res } = sent.value;
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      return err(unreachable(url, e));
    }
    if (onBody) {
      onBody(text);
      await requestsOut();
    }
    const checked = check(text);
    return checked.ok ? checked : err(badResponse(url, res.status, checked.error));
  }

  /**
   * pullEventsChecked over the answer's bytes (a first sync's pages: checked as text, but handed
   * to SQLite as the bytes, sync/page-check.ts checkBulkPageBytes), read with node:http
   * (get-bytes.ts). The bytes are an ArrayBuffer of their own, transferable to another thread.
   */
  async function pullEventsBytesChecked<T>(
    after: number,
    limit: number,
    check: (bytes: Uint8Array) => Result<T, string>,
    o: PullBytesOptions = {},
  ): Promise<CollectorResult<T>> {
    const { onBody, onNext, shape = 'events', alloc } = o;
    const url = `${base}/api/v1/events?after=${after}&limit=${limit}${shape === 'rows' ? '&shape=rows' : ''}`;
    let res: BytesResponse;
    const headers = { authorization: `Bearer ${opts.token}`, accept: 'application/json' };
    // once per pull: an answer refused for its framing was already told before node:http asks again
    let told = false;
    const onHeaders =
      onNext &&
      ((status: number, h: IncomingHttpHeaders) => {
        if (told) return;
        told = true;
        const next = h[EVENTS_NEXT_HEADER];
        if (status === 200 && typeof next === 'string' && /^\d{1,15}$/.test(next)) onNext(Number(next));
      });
    try {
      res = directFraming
        ? await direct.get(url, headers, timeoutMs, onHeaders, alloc).catch((e: unknown) => {
            if (!(e instanceof FramingUnsupported)) throw e;
            directFraming = false;
            return getBytes(url, headers, timeoutMs, onHeaders, alloc);
          })
        : await getBytes(url, headers, timeoutMs, onHeaders, alloc);
    } catch (e) {
      return err(unreachable(url, e));
    }
    // what send() makes of a refusal; a redirect is refused as fetch's redirect: 'error' does
    if (res.status >= 300 && res.status < 400)
      return err(unreachable(url, new Error(`redirect (HTTP ${res.status}) refused`)));
    if (res.status < 200 || res.status >= 300) {
      let json: unknown = null;
      try {
        json = JSON.parse(Buffer.from(res.bytes).toString('utf8'));
      } catch {
        json = null;
      }
      const parsed = ErrorBody.safeParse(json);
      const retryAfter = res.headers['retry-after'];
      return err(
        fromResponse(
          url,
          res.status,
          parsed.success ? parsed.data.error : null,
          typeof retryAfter === 'string' ? retryAfter : null,
        ),
      );
    }
    if (onBody) {
      onBody(res.bytes);
      await requestsOut();
    }
    const checked = check(res.bytes);
    return checked.ok ? checked : err(badResponse(url, res.status, checked.error));
  }

  /**
   * issue 16: the Nachweisakte of one address as the collector wrote it. The JSON comes back as
   * its text (checked against the format): the file is evidence, so it is saved byte for byte,
   * not re-serialised from a parsed copy that would drop what this version does not know.
   */
  async function evidence(
    email: string,
    offerId: string | null,
    format: 'json' | 'pdf',
    callTimeoutMs = 120_000,
  ): Promise<CollectorResult<Buffer>> {
    const q = new URLSearchParams({ email, ...(offerId ? { offerId } : {}), format });
    const sent = await send('GET', `/api/v1/evidence?${q.toString()}`, undefined, callTimeoutMs);
    if (!sent.ok) return sent;
    const { url, res } = sent.value;
    let body: Buffer;
    try {
      body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      return err(unreachable(url, e));
    }
    if (format === 'pdf') {
      return body.subarray(0, 5).toString('latin1') === '%PDF-'
        ? ok(body)
        : err(badResponse(url, res.status, 'not a PDF'));
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return err(badResponse(url, res.status, 'not JSON'));
    }
    const parsed = EvidenceFile.safeParse(json);
    return parsed.success ? ok(body) : err(badResponse(url, res.status, parsed.error.message));
  }

  return {
    baseUrl: base,
    me: () => call('GET', '/api/v1/me', MeResponse),
    getSettings: () => call('GET', '/api/v1/settings', Settings),
    putSettings: (update: SettingsUpdate) => call('PUT', '/api/v1/settings', Settings, update),
    registerMessage: (req: RegisterMessageRequest) =>
      call('POST', '/api/v1/messages', RegisterMessageResponse, RegisterMessageRequest.parse(req)),
    pullEvents: (after: number, limit: number) =>
      call('GET', `/api/v1/events?after=${after}&limit=${limit}`, ReceivedEventsResponse),
    pullEventsChecked,
    pullEventsBytesChecked,
    /** issue 17: ids of events the collector deleted (retention, erasure), by tombstone cursor */
    deletedEvents: (after: number, limit: number) =>
      call('GET', `/api/v1/events/deleted?after=${after}&limit=${limit}`, DeletedEventsResponse),
    // issue 17 part 2, an admin's privacy actions (docs/privacy.md)
    privacyHolds: () => call('GET', '/api/v1/privacy/holds', LegalHoldsResponse),
    privacySettings: () => call('GET', '/api/v1/privacy/settings', PrivacySettings),
    setPrivacyHold: (email: string, reason: string) =>
      call('PUT', '/api/v1/privacy/holds', LegalHold, SetLegalHoldRequest.parse({ email, reason })),
    liftPrivacyHold: (email: string) =>
      call('POST', '/api/v1/privacy/holds/lift', LiftLegalHoldResponse, { email }),
    eraseSubject: (email: string, reason: string) =>
      call(
        'POST',
        '/api/v1/privacy/subject/erase',
        ErasureOutcome,
        EraseSubjectRequest.parse({ email, reason }),
      ),
    /** the subject export as the collector wrote it: auskunft.json's text or auskunft.pdf's bytes */
    subjectExport: async (email: string, format: 'json' | 'pdf'): Promise<CollectorResult<Buffer>> => {
      const sent = await send(
        'GET',
        `/api/v1/privacy/subject?email=${encodeURIComponent(email)}&format=${format}`,
        undefined,
        120_000,
      );
      if (!sent.ok) return sent;
      try {
        return ok(Buffer.from(await sent.value.res.arrayBuffer()));
      } catch (e) {
        return err(unreachable(sent.value.url, e));
      }
    },
    /**
     * Idempotent on the collector's side (the same message answers with the offer already
     * published), so a retry after a crash cannot publish twice. Bodies can be tens of MB
     * (base64 files), hence the longer timeout.
     */
    publishOffer: (req: PublishOfferRequest, publishTimeoutMs = 120_000) =>
      call('POST', '/api/v1/offers', PublishOfferResponse, PublishOfferRequest.parse(req), publishTimeoutMs),
    /** issue 20: the account's own tracking domain (null: the collector's address) */
    getTrackingDomain: () => call('GET', '/api/v1/tracking-domain', TrackingDomainResponse),
    // the collector probes the domain (DNS, TLS, its /healthz) before it answers: up to its 10 s
    putTrackingDomain: (host: string) =>
      call('PUT', '/api/v1/tracking-domain', TrackingDomainResponse, { host }, DOMAIN_PROBE_TIMEOUT_MS),
    verifyTrackingDomain: () =>
      call('POST', '/api/v1/tracking-domain/verify', TrackingDomainResponse, {}, DOMAIN_PROBE_TIMEOUT_MS),
    deleteTrackingDomain: () => call('DELETE', '/api/v1/tracking-domain', TrackingDomainResponse),
    /** the status as the collector has it: another device of the account may have changed it */
    offerStatus: (offerId: string) =>
      call('GET', `/api/v1/offers/${encodeURIComponent(offerId)}/status`, OfferStatusResponse),
    setOfferStatus: (offerId: string, status: OfferStatus) =>
      call(
        'PUT',
        `/api/v1/offers/${encodeURIComponent(offerId)}/status`,
        OfferStatusResponse,
        OfferStatusUpdate.parse({ status }),
      ),
    /** the legal confirmations with the exact wording and the full IP: only the collector keeps them */
    offerEvidence: (offerId: string) =>
      call('GET', `/api/v1/offers/${encodeURIComponent(offerId)}/evidence`, OfferEvidenceResponse),
    /** issue 19: a reply, bounce or out-of-office answer read in the agent's INBOX (the fact only) */
    /** issue 16: nachweis.json (validated) or nachweis.pdf of one address, optionally of one offer */
    evidence,
    reportMailboxSignal: (body: MailboxSignalRequest) =>
      call('POST', '/api/v1/mailbox-signals', MailboxSignalResponse, body),
    correctVerdict: (eventId: string, verdict: Verdict) =>
      call('POST', `/api/v1/events/${encodeURIComponent(eventId)}/verdict`, TrackingEvent, { verdict }),
    openDeclarations: () => call('GET', '/api/v1/declarations/open', DeclarationsResponse),
    claimDeclaration: (id: string, device: string) =>
      call('POST', `/api/v1/declarations/${encodeURIComponent(id)}/claim`, DeclarationClaimResponse, {
        device,
      }),
    declarationSent: (id: string, device: string, mailMessageId: string) =>
      call(
        'POST',
        `/api/v1/declarations/${encodeURIComponent(id)}/sent`,
        DeclarationClaimResponse.pick({ declaration: true }),
        { device, mailMessageId },
      ),
    landingLockSettings: () => call('GET', '/api/v1/landing-locks/settings', LandingLockSettings),
    putLandingLockSettings: (s: LandingLockSettings) =>
      call('PUT', '/api/v1/landing-locks/settings', LandingLockSettings, LandingLockSettings.parse(s)),
    putPropertyLock: (key: string, u: PropertyLockUpdate) =>
      call(
        'PUT',
        `/api/v1/landing-locks/properties/${encodeURIComponent(key)}`,
        LockAck,
        PropertyLockUpdate.parse(u),
      ),
    putContactLock: (u: ContactLockUpdate) =>
      call('PUT', '/api/v1/landing-locks/contacts', LockAck, ContactLockUpdate.parse(u)),
    putDealLock: (u: DealLockUpdate) =>
      call('PUT', '/api/v1/landing-locks/deals', LockAck, DealLockUpdate.parse(u)),
    /** issue 17: contacts whose tracking mode or consent changed after `after` (their version) */
    contactsConsent: (after: number, limit: number) =>
      call('GET', `/api/v1/contacts/consent?after=${after}&limit=${limit}`, ContactConsentPage),
    setContactMode: (email: string, mode: ConsentMode | null) =>
      call('PUT', '/api/v1/contacts/consent', ContactConsent, ContactModeUpdate.parse({ email, mode })),
    streamUrl: `${base}/api/v1/events/stream`,
    token: opts.token,
  };
}
export type CollectorClient = ReturnType<typeof createCollectorClient>;
