import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src-main/host/server';
import { register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { rawRequest, type RawAnswer } from './raw-http';
import { startInProcessHost, type InProcessHost } from './processes';

/**
 * Finding 6 of issue 14: answers without `X-Content-Type-Options: nosniff`, and a 404 that
 * echoed the request path. Every answer is checked as raw bytes, so nothing is added or
 * normalised on the way.
 */
let c: TestCollector;
let fastOff: TestCollector;
let running: InProcessHost;
let host: RunningHost;
let pixel = '';
let click = '';

beforeAll(async () => {
  c = await startTestCollector();
  fastOff = await startTestCollector({ fastPath: false });
  const m = await register(c, c.agentToken);
  pixel = new URL(m.trackers[0]!.pixelUrl).pathname;
  click = new URL(m.trackers[0]!.links[0]!.trackedUrl).pathname;
  running = await startInProcessHost();
  host = running.host;
});
afterAll(async () => {
  await running?.close();
  await c?.close();
  await fastOff?.close();
});

const req = (origin: string, method: string, path: string, extra = '', body = ''): Promise<RawAnswer> =>
  rawRequest(
    origin,
    `${method} ${path} HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nConnection: close\r\n${extra}` +
      `${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`,
  );

const SECRET_PATH = '/no-such-place-7f3a9c';

describe('nosniff on every answer', () => {
  it('collector: pixel, click, 404s, API errors and parser refusals', async () => {
    for (const origin of [c.url, fastOff.url]) {
      const answers: [string, RawAnswer][] = [
        ['pixel', await req(origin, 'GET', pixel)],
        ['pixel HEAD', await req(origin, 'HEAD', pixel)],
        ['unknown pixel', await req(origin, 'GET', '/o/unknown.gif')],
        ['unknown click', await req(origin, 'GET', '/c/unknowntoken/0')],
        ['no route', await req(origin, 'GET', SECRET_PATH)],
        [
          'no api route',
          await req(origin, 'GET', `/api/v1${SECRET_PATH}`, `Authorization: Bearer ${c.agentToken}\r\n`),
        ],
        ['401', await req(origin, 'GET', '/api/v1/me')],
        [
          'bad json',
          await req(
            origin,
            'POST',
            '/api/v1/messages',
            `Authorization: Bearer ${c.agentToken}\r\nContent-Type: application/json\r\n`,
            '{"secret-body-4711',
          ),
        ],
        [
          'wrong content type',
          await req(
            origin,
            'POST',
            '/api/v1/messages',
            `Authorization: Bearer ${c.agentToken}\r\nContent-Type: text/x-secret-4711\r\n`,
            'x',
          ),
        ],
        ['openapi', await req(origin, 'GET', '/api/v1/openapi.json')],
        ['bad method', await req(origin, 'BREW', '/')],
        ['oversize header', await req(origin, 'GET', '/', `X-Big: ${'a'.repeat(70_000)}\r\n`)],
      ];
      if (origin === c.url) answers.push(['click', await req(origin, 'GET', click)]);
      else answers.push(['click (fastify)', await req(origin, 'GET', click.replace(/.*\/c\//, '/c/'))]);
      for (const [name, a] of answers) {
        expect(a.status, name).toBeGreaterThan(0);
        expect(a.headers['x-content-type-options']?.[0], `${name} (${a.status})`).toBe('nosniff');
        expect(a.body, name).not.toContain('no-such-place-7f3a9c');
        expect(a.body, name).not.toContain('secret-body-4711');
        expect(a.body, name).not.toContain('x-secret-4711');
      }
    }
  });

  it('browser host: page, refusals and bridge errors', async () => {
    const answers: [string, RawAnswer][] = [
      ['page', await req(host.origin, 'GET', '/')],
      [
        'foreign host',
        await rawRequest(host.origin, `GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`),
      ],
      ['no token', await req(host.origin, 'POST', '/ipc/settings.get', '', '{}')],
      [
        'unknown op',
        await req(host.origin, 'POST', `/ipc${SECRET_PATH}`, `X-Blitz-Token: ${host.token}\r\n`, '{}'),
      ],
      ['bad method', await req(host.origin, 'BREW', '/')],
    ];
    for (const [name, a] of answers) {
      expect(a.status, name).toBeGreaterThan(0);
      expect(a.headers['x-content-type-options']?.[0], `${name} (${a.status})`).toBe('nosniff');
      expect(a.body, name).not.toContain('no-such-place-7f3a9c');
    }
  });
});
