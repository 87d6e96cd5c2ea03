import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../support/collector';
import { rawRequest, type RawAnswer } from './raw-http';

/**
 * Finding 3 of issue 14: the collector read and parsed a body before it looked at the token.
 * Each request here sends its headers and a first kilobyte of a body announced much larger, then
 * waits: the answer (401, 413 or 429) must come while the rest has not been sent.
 */
let c: TestCollector;
let limited: TestCollector;

beforeAll(async () => {
  c = await startTestCollector();
  limited = await startTestCollector({
    rateLimit: true,
    rateLimits: { apiPerIp: 3, authFailuresPerIp: 1000 },
  });
});
beforeAll(async () => {
  // warm up code paths and the token cache, so the timings below are the requests' own
  for (const coll of [c, limited]) {
    await fetch(`${coll.url}/api/v1/me`, { headers: { authorization: `Bearer ${coll.agentToken}` } });
    await fetch(`${coll.url}/api/v1/me`);
  }
});
afterAll(async () => {
  await c?.close();
  await limited?.close();
});

const MB = 1024 * 1024;
/**
 * The body is never sent in full, so any answer at all proves the order (before the fix none
 * came until the client gave up). The bound is 1 s after the headers: the median of a
 * route set must meet it, each single answer gets a margin for a loaded two-core machine.
 */
const WITHIN_MS = 1_000;
const EACH_WITHIN_MS = 5_000;

function expectPrompt(answers: RawAnswer[]): void {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  expect(ms[Math.floor(ms.length / 2)]).toBeLessThan(WITHIN_MS);
  for (const m of ms) expect(m).toBeLessThan(EACH_WITHIN_MS);
}

function pending(
  origin: string,
  method: string,
  path: string,
  opts: { token?: string; length?: number; chunked?: boolean; contentType?: string } = {},
): Promise<RawAnswer> {
  const { host } = new URL(origin);
  const head = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    `Content-Type: ${opts.contentType ?? 'application/json'}`,
    ...(opts.token ? [`Authorization: Bearer ${opts.token}`] : []),
    opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${opts.length ?? 40 * MB}`,
  ].join('\r\n');
  const first = '{"messageId":"' + 'x'.repeat(1024);
  const body = opts.chunked ? `${first.length.toString(16)}\r\n${first}\r\n` : first;
  return rawRequest(origin, `${head}\r\n\r\n${body}`, { holdOpen: true, timeoutMs: 10_000 });
}

const AUTHENTICATED_ROUTES: [string, string][] = [
  ['POST', '/api/v1/offers'],
  ['PUT', '/api/v1/offers/00000000-0000-4000-8000-000000000000/status'],
  ['GET', '/api/v1/offers/00000000-0000-4000-8000-000000000000/status'],
  ['GET', '/api/v1/offers/00000000-0000-4000-8000-000000000000/evidence'],
  ['POST', '/api/v1/messages'],
  ['PUT', '/api/v1/settings'],
  ['GET', '/api/v1/settings'],
  ['GET', '/api/v1/me'],
  ['GET', '/api/v1/events'],
  ['GET', '/api/v1/events/stream'],
  ['POST', '/api/v1/events/e1/verdict'],
];

describe('collector: authentication before the body', () => {
  it('answers 401 without a token on every authenticated route before the body is sent', async () => {
    const answers: RawAnswer[] = [];
    for (const [method, path] of AUTHENTICATED_ROUTES) {
      const r = await pending(c.url, method, path, { length: 40 * MB });
      expect(r.status, `${method} ${path}`).toBe(401);
      answers.push(r);
    }
    expectPrompt(answers);
  });

  it('answers 401 for a wrong token and for a chunked body alike', async () => {
    const wrong = await pending(c.url, 'POST', '/api/v1/offers', { token: 'blz_' + 'A'.repeat(43) });
    expect(wrong.status).toBe(401);
    const chunked = await pending(c.url, 'POST', '/api/v1/offers', { chunked: true });
    expect(chunked.status).toBe(401);
    expectPrompt([wrong, chunked]);
  });

  it('answers 413 by the announced length to an authenticated caller, per route', async () => {
    // offers may be large: 40 MB is within their limit, so the collector waits for that body
    const offer = await rawRequest(
      c.url,
      `POST /api/v1/offers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${c.agentToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${40 * MB}\r\n\r\n{`,
      { holdOpen: true, timeoutMs: 1_500 },
    );
    expect(offer.status).toBe(0);
    const tooBigOffer = await pending(c.url, 'POST', '/api/v1/offers', {
      token: c.agentToken,
      length: 80 * MB,
    });
    expect(tooBigOffer.status).toBe(413);
    const answers = [tooBigOffer];
    // everything else is small
    for (const [method, path] of [
      ['POST', '/api/v1/messages'],
      ['PUT', '/api/v1/settings'],
      ['POST', '/api/v1/events/e1/verdict'],
    ] as const) {
      const r = await pending(c.url, method, path, { token: c.adminToken, length: 8 * MB });
      expect(r.status, `${method} ${path}`).toBe(413);
      answers.push(r);
    }
    expectPrompt(answers);
  });

  it('applies the per-address rate limit before the body as well', async () => {
    const answers: RawAnswer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await pending(limited.url, 'POST', '/api/v1/offers'));
    const limitedOnes = answers.filter((a) => a.status === 429);
    expect(limitedOnes.length).toBeGreaterThanOrEqual(2);
    for (const a of answers) expect([401, 429]).toContain(a.status);
    expectPrompt(answers);
  });
});
