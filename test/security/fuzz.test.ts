import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createUser } from '../../src-collector/server';
import { openStore } from '../../src-collector/store/open';
import {
  removeDirs,
  startCollectorProcess,
  startHostProcess,
  stubRenderer,
  type CollectorProc,
  type HostProc,
} from './processes';
import { rawRequest, type RawAnswer } from './raw-http';
import { seededRandom as rng } from '../../src-shared/seeded-random';

/**
 * Finding 7 of issue 14: the malformed-request set of the review, and generated variations of
 * it, against the collector and the browser host as real processes over raw sockets. Whatever
 * arrives, no answer is ≥ 500, the process does not exit, and it still serves afterwards.
 * The generator is seeded (FUZZ_SEED to replay a run); the whole file stays well under a minute.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 1414);
const GENERATED = 400;

let collector: CollectorProc;
let host: HostProc;
let agentToken = '';
let pixelPath = '';
let clickPath = '';
const dirs: string[] = [];

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'blitz-fuzz-'));
  const renderer = stubRenderer();
  dirs.push(base, renderer);
  const db = join(base, 'collector.db');
  // the account is made in this process (saves two CLI start-ups); the server runs as its own
  const opened = await openStore({ file: db });
  if (!opened.ok) throw new Error(opened.error.message);
  const account = await createAccount(opened.value, 'Fuzz GmbH');
  agentToken = (
    await createUser(opened.value, {
      accountId: account.id,
      email: 'f@fuzz.example',
      name: 'F',
      role: 'agent',
    })
  ).token;
  await opened.value.close();
  [collector, host] = await Promise.all([
    // rate limits off: the fuzz run is hundreds of requests from one address
    startCollectorProcess(db, { BLITZ_RATE_LIMIT: '0' }),
    startHostProcess(join(base, 'host-data'), renderer),
  ]);
  const r = await fetch(`${collector.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: 'fuzz-1',
      subject: 'Fuzz',
      sentIndividually: true,
      recipients: [{ email: 'k@kunde.example' }],
      links: ['https://makler.example/expose/1', 'https:evil.example'],
    }),
  });
  const m = (await r.json()) as { trackers: { pixelUrl: string; links: { trackedUrl: string }[] }[] };
  pixelPath = new URL(m.trackers[0]!.pixelUrl).pathname;
  clickPath = new URL(m.trackers[0]!.links[0]!.trackedUrl).pathname;
}, 120_000);

afterAll(async () => {
  await collector?.stop();
  await host?.stop();
  removeDirs(dirs);
});

// ---------------------------------------------------------------- the request set

/** A request as bytes; `{HOST}` and `{TOKEN}` are filled in per target. */
type Req = string | Buffer;

function http(method: string, target: string, headers: string[] = [], body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: {HOST}', ...headers, 'Connection: close'];
  if (body && !headers.some((h) => /^(content-length|transfer-encoding):/i.test(h)))
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const deepJson = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const AUTH = 'Authorization: Bearer {TOKEN}';
const JSON_CT = 'Content-Type: application/json';

function fixedSet(): Req[] {
  const paths = [
    '/%E0%A4%A',
    '/%',
    '/%%',
    '/%zz',
    '/%00',
    '/%C0%AF',
    '/%ED%A0%80',
    '/%F4%90%80%80',
    '/%FF%FE',
    '/o/%E0%A4%A.gif',
    '/c/%E0%A4%A/0',
    '/l/%E0%A4%A',
    '/l/assets/%E0%A4%A',
    '/api/v1/%E0%A4%A',
    '/..',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/l/assets/..%2f..%2fpackage.json',
    '/l/assets/../../package.json',
    '/o/..%2f..%2fetc%2fpasswd',
    '/assets/..\\..\\etc\\passwd',
    '//etc/passwd',
    '///',
    '/./././',
    '/a/./../b',
    `/${'a'.repeat(8_000)}`,
    `/o/${'a'.repeat(300)}.gif`,
    `/c/${'b'.repeat(300)}/0`,
    `/l/${'c'.repeat(5_000)}`,
    `/?${'q=1&'.repeat(3_000)}`,
    '/api/v1/events?after=1e309',
    '/api/v1/events?after=-1',
    '/api/v1/events?after=99999999999999999999999',
    '/api/v1/events?limit=NaN',
    '/api/v1/events?after[]=1',
    '/api/v1/events?after=1&after=2',
    '/api/v1/events?limit=0x10',
    '/api/v1/events/stream?after=%FF',
    '*',
    'http://evil.example/',
    'http://[',
    'localhost:80',
    '/o/',
    '/c/',
    '/c//',
    '/l/',
    '/l//like',
    '/api/v1/openapi.json?%',
    '/api/v1/events/%00/verdict',
  ];
  const reqs: Req[] = [];
  for (const p of paths) {
    reqs.push(http('GET', p));
    reqs.push(http('GET', p, [AUTH]));
  }
  // redirect variants of a registered click link
  for (const v of [
    '{CLICK}',
    '{CLICK}/',
    '{CLICK}%2f',
    '{CLICK}?x=1',
    '{CLICK_BASE}/00',
    '{CLICK_BASE}/-1',
    '{CLICK_BASE}/1e3',
    '{CLICK_BASE}/99999',
    '{CLICK_BASE}/1',
    '{CLICK_BASE}/2',
    '{CLICK_BASE}/%30',
    '{CLICK_BASE}/0%00',
    '{CLICK_BASE}/0;x',
    '{CLICK_BASE}/%2e%2e',
    '{CLICK_BASE}/0/..',
    '{PIXEL}',
    '{PIXEL}x',
    '{PIXEL}%00',
    '{PIXEL}/..',
  ])
    reqs.push(http('GET', v), http('HEAD', v));
  // methods
  for (const m of [
    'BREW',
    'PROPFIND',
    'TRACE',
    'CONNECT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'get',
    'G\x00ET',
    'GET\tX',
    'M'.repeat(100),
  ])
    reqs.push(`${m} / HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n`);
  // header oddities
  reqs.push(
    http('GET', '/', [`X-Big: ${'a'.repeat(70_000)}`]),
    http(
      'GET',
      '/',
      Array.from({ length: 3_000 }, (_, i) => `X-H${i}: v`),
    ),
    http('GET', '/', ['Host: second.example']),
    http('GET', '/api/v1/me', [AUTH, 'Authorization: Bearer other']),
    http('GET', '/', ['X-A: a\rSet-Cookie: b']),
    http('GET', '/', ['X-A: a\nSet-Cookie: b']),
    'GET / HTTP/1.1\nHost: {HOST}\nConnection: close\n\n',
    http('GET', '/', ['X-Forwarded-For: 1.2.3.4, ::1, not-an-ip, 999.1.1.1']),
    http('GET', '{PIXEL}', ['X-Forwarded-For: \x01\x02']),
    http('GET', '/', ['Content-Length: -1']),
    http('GET', '/', ['Content-Length: 1e3']),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Content-Length: 5', 'Content-Length: 6'], '{"a":1'),
    http(
      'POST',
      '/api/v1/messages',
      [AUTH, JSON_CT, 'Content-Length: 5', 'Transfer-Encoding: chunked'],
      '0\r\n\r\n',
    ),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Transfer-Encoding: gzip'], '{}'),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Transfer-Encoding: chunked'], 'zz\r\nabc\r\n0\r\n\r\n'),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Transfer-Encoding: chunked'], '5\r\n{"a":\r\n'),
    http(
      'POST',
      '/api/v1/messages',
      [AUTH, JSON_CT, 'Transfer-Encoding: chunked'],
      'ffffffffffffffff\r\nx\r\n0\r\n\r\n',
    ),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Expect: 100-continue'], '{}'),
    http('POST', '/api/v1/messages', [AUTH, JSON_CT, 'Expect: nonsense'], '{}'),
    http('GET', '/', ['Accept-Encoding: ' + 'gzip,'.repeat(2_000)]),
    http('GET', '/', ['Range: bytes=-1-2,5-']),
    http('GET', '/', ['If-None-Match: ' + '"x",'.repeat(1_000)]),
    'GET / HTTP/2.0\r\nHost: {HOST}\r\n\r\n',
    'GET / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.0\r\n\r\n',
    'GET /\r\n\r\n',
    '\r\n\r\n\r\n',
    Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), // a TLS hello
    Buffer.concat([
      Buffer.from('GET /'),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
      Buffer.from(' HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n'),
    ]),
    Buffer.concat([
      Buffer.from('GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Bin: '),
      Buffer.from([0xff, 0x00, 0x80]),
      Buffer.from('\r\nConnection: close\r\n\r\n'),
    ]),
  );
  // token variants
  for (const t of [
    'Bearer',
    'Bearer ',
    'Bearer  {TOKEN}',
    'bearer {TOKEN}',
    'BEARER {TOKEN}',
    'Bearer {TOKEN} x',
    'Basic Zm9vOmJhcg==',
    'Bearer blz_',
    `Bearer ${'A'.repeat(10_000)}`,
    'Bearer \u00e4\u00f6\u00fc',
    'Bearer {TOKEN}\x00',
    'Bearer {TOKEN}{TOKEN}',
    'Token {TOKEN}',
    '{TOKEN}',
    'Bearer blz_' + '%'.repeat(43),
  ])
    reqs.push(
      http('GET', '/api/v1/me', [`Authorization: ${t}`]),
      http('POST', '/api/v1/messages', [`Authorization: ${t}`, JSON_CT], '{}'),
    );
  // bodies: bad JSON, deep JSON, wrong types, huge numbers, wrong content types
  const bodies = [
    '',
    '{',
    '}',
    'null',
    '[]',
    '"x"',
    '1e999',
    '{"a":1}{"b":2}',
    '\ufeff{}',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    deepJson(100_000),
    deepObject(50_000),
    '{"clientId":' + '9'.repeat(5_000) + '}',
    JSON.stringify({ clientId: 'x', subject: 's', sentIndividually: 'yes', recipients: 'all', links: {} }),
    JSON.stringify({
      clientId: 'x',
      subject: 's'.repeat(100_000),
      sentIndividually: true,
      recipients: [{ email: 'a@b.example' }],
      links: [],
    }),
    JSON.stringify({
      clientId: 'x',
      subject: 's',
      sentIndividually: true,
      recipients: [{ email: 'a@b.example' }],
      links: ['https://a.example\\@b.example/', 'javascript:alert(1)', 'https://u:p@a.example/'],
    }),
    JSON.stringify({ verdict: 'human'.repeat(1_000) }),
    JSON.stringify({ trackingEnabled: 'true' }),
    JSON.stringify({ status: 1e308 }),
    JSON.stringify({ messageId: 'x', property: null, files: [{ data: '!!!' }] }),
  ];
  const routes: [string, string][] = [
    ['POST', '/api/v1/messages'],
    ['PUT', '/api/v1/settings'],
    ['POST', '/api/v1/offers'],
    ['PUT', '/api/v1/offers/x/status'],
    ['POST', '/api/v1/events/x/verdict'],
    ['POST', '/ipc/settings.get'],
    ['POST', '/ipc/outbox.retry'],
  ];
  for (const [m, p] of routes) {
    for (const b of bodies) reqs.push(http(m, p, [AUTH, 'X-Blitz-Token: {HTOKEN}', JSON_CT], b));
    for (const ct of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      ';;;',
      'application/json\x7f',
    ])
      reqs.push(http(m, p, [AUTH, 'X-Blitz-Token: {HTOKEN}', `Content-Type: ${ct}`], '{"a":1}'));
  }
  // public landing forms
  for (const b of ['', 'a=b', '%', '%E0%A4%A=1', 'csrf=' + 'x'.repeat(20_000), 'unit=' + '1e999'])
    for (const p of ['/l/xxxxxxxxxxxxxxxxxxxxxx/like', '/l/xxxxxxxxxxxxxxxxxxxxxx/confirm'])
      reqs.push(http('POST', p, ['Content-Type: application/x-www-form-urlencoded'], b));
  return reqs;
}

function generated(n: number, seed: number): Req[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'XYZ'];
  const segments = [
    'o',
    'c',
    'l',
    'api',
    'v1',
    'me',
    'events',
    'stream',
    'messages',
    'offers',
    'settings',
    'status',
    'evidence',
    'verdict',
    'ipc',
    'settings.get',
    'assets',
    'img',
    'doc',
    'expose',
    'like',
    'confirm',
    'widerruf',
    'link',
    'notifications',
    'index.html',
    '{TOKEN}',
    '0',
    '1',
    '..',
    '.',
    '',
    'x.gif',
  ];
  const noise = [
    '%',
    '%E0%A4%A',
    '%00',
    '%ff',
    '%2f',
    '%5c',
    '\\',
    ';',
    '~',
    '%C3%A4',
    'ä',
    '\u202e',
    '%0d%0a',
    '"',
    "'",
    '<',
    '>',
    '`',
    '{',
    '}',
    '|',
    '^',
  ];
  const headers = [
    'Accept: */*',
    'Accept: text/html',
    JSON_CT,
    'Content-Type: text/plain',
    AUTH,
    'Authorization: Bearer x',
    'X-Blitz-Token: {HTOKEN}',
    'X-Blitz-Token: wrong',
    'Last-Event-ID: 1e99',
    'Last-Event-ID: -5',
    'Origin: null',
    'Origin: https://evil.example',
    'Referer: javascript:1',
    'Cookie: a=' + 'b'.repeat(100),
    'Sec-Purpose: prefetch',
    'X-Forwarded-For: 203.0.113.7',
    'User-Agent: ' + 'Mozilla/5.0 '.repeat(50),
    'Range: bytes=0-0',
    'Expect: 100-continue',
  ];
  const bodies = [
    '',
    '{}',
    '{',
    'null',
    '[1,2,3]',
    deepJson(2_000),
    '{"a":"' + 'x'.repeat(10_000) + '"}',
    'a=b&c=d',
    '\x00\x01\x02',
    '"\ud800"',
  ];
  const out: Req[] = [];
  for (let i = 0; i < n; i++) {
    const depth = 1 + Math.floor(r() * 5);
    let path = '';
    for (let d = 0; d < depth; d++) {
      let seg = pick(segments);
      if (r() < 0.35) seg += pick(noise);
      if (r() < 0.1) seg = pick(noise) + seg;
      path += `/${seg}`;
    }
    if (r() < 0.2)
      path += `?${pick(['after', 'limit', 'token', 'x'])}=${pick(['1', '-1', '1e309', '%', 'NaN', '{HTOKEN}', ''])}`;
    const hs: string[] = [];
    const nh = Math.floor(r() * 4);
    for (let h = 0; h < nh; h++) hs.push(pick(headers));
    const method = pick(methods);
    const body = method === 'GET' || method === 'HEAD' ? (r() < 0.05 ? pick(bodies) : '') : pick(bodies);
    out.push(http(method, path, hs, body));
  }
  return out;
}

// ---------------------------------------------------------------- running it

function fill(req: Req, origin: string): Buffer {
  const hostTarget = origin === host.origin;
  const map: Record<string, string> = {
    '{HOST}': new URL(origin).host,
    '{TOKEN}': agentToken,
    '{HTOKEN}': host.token,
    '{PIXEL}': pixelPath,
    '{CLICK}': clickPath,
    '{CLICK_BASE}': clickPath.replace(/\/\d+$/, ''),
  };
  const text = typeof req === 'string' ? req : req.toString('latin1');
  let filled = text;
  for (const [k, v] of Object.entries(map))
    filled = filled.split(k).join(hostTarget && k === '{HOST}' ? new URL(host.origin).host : v);
  return Buffer.from(filled, typeof req === 'string' ? 'utf8' : 'latin1');
}

interface Outcome {
  index: number;
  answer: RawAnswer;
  request: string;
}

async function run(origin: string, reqs: Req[], parallel = 8): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < reqs.length) {
      const index = next++;
      const bytes = fill(reqs[index]!, origin);
      const answer = await rawRequest(origin, bytes, { timeoutMs: 2_000 });
      out.push({ index, answer, request: bytes.subarray(0, 200).toString('latin1') });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out.sort((a, b) => a.index - b.index);
}

/** answers without nosniff (finding 6 holds for refusals of garbage too) */
function sniffable(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.answer.status > 0 && o.answer.headers['x-content-type-options']?.[0] !== 'nosniff')
    .map((o) => `#${o.index} ${o.answer.status} ${JSON.stringify(o.request)}`);
}

function serverErrors(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.answer.status >= 500)
    .map(
      (o) => `#${o.index} ${o.answer.status} ${JSON.stringify(o.request)} → ${o.answer.body.slice(0, 200)}`,
    );
}

describe('fuzz: malformed and generated requests', () => {
  it('collector: no answer ≥ 500, still alive and serving', async () => {
    const reqs = [...fixedSet(), ...generated(GENERATED, SEED)];
    const outcomes = await run(collector.url, reqs);
    expect(serverErrors(outcomes)).toEqual([]);
    expect(sniffable(outcomes)).toEqual([]);
    // most requests are answered at all (a few broken framings are closed or left waiting)
    expect(outcomes.filter((o) => o.answer.status > 0).length).toBeGreaterThan(reqs.length * 0.9);
    expect(collector.alive(), collector.log().slice(-2_000)).toBe(true);
    const pixel = await fetch(`${collector.url}${pixelPath}`);
    expect(pixel.status).toBe(200);
    expect((await pixel.arrayBuffer()).byteLength).toBe(43);
    const me = await fetch(`${collector.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    expect(me.status).toBe(200);
    const click = await fetch(`${collector.url}${clickPath}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://makler.example/expose/1');
    expect(collector.log()).not.toMatch(/"level":(50|60)/);
  }, 60_000);

  it('browser host: no answer ≥ 500, still alive and serving', async () => {
    const reqs = [...fixedSet(), ...generated(GENERATED, SEED + 1)];
    const outcomes = await run(host.origin, reqs);
    expect(serverErrors(outcomes)).toEqual([]);
    expect(sniffable(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.answer.status > 0).length).toBeGreaterThan(reqs.length * 0.9);
    expect(host.alive(), host.log().slice(-2_000)).toBe(true);
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
    const settings = await fetch(`${host.origin}/ipc/settings.get`, {
      method: 'POST',
      headers: { 'x-blitz-token': host.token, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(settings.status).toBe(200);
  }, 60_000);
});
