import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src-collector/store/types';
import { RecordingNotifier } from '../../src-main/host/recording-notifier';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { startTestCore, type TestCore } from '../core/helpers';
import { register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { removeDirs, stubRenderer } from './processes';

/**
 * Finding 1 of issue 14, the other half: one top-level error handler per server. A bug while
 * answering (here provoked on purpose) is logged with its request, answered 500 with a fixed
 * text, and the server keeps serving.
 */
/** a notifier whose list of shown notifications throws when read */
function explodingNotifier(): RecordingNotifier {
  const n = new RecordingNotifier();
  Object.defineProperty(n, 'shown', {
    get() {
      throw new Error('notifier exploded 4711');
    },
  });
  return n;
}

let core: TestCore;
let host: RunningHost;
const hostLog: string[] = [];
let c: TestCollector;
const collectorLog: string[] = [];
let explode = false;
const dirs: string[] = [];

beforeAll(async () => {
  core = await startTestCore();
  const renderer = stubRenderer();
  dirs.push(renderer);
  host = await startHost({
    core: core.core,
    notifier: explodingNotifier(),
    rendererDir: renderer,
    log: (m) => hostLog.push(m),
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      collectorLog.push(chunk.toString());
      cb();
    },
  });
  c = await startTestCollector({ logger: pino({ level: 'info' }, sink) });
  // the store fails on demand, below a route that has no handling of its own for it
  const store = c.collector.store as Store & Record<string, unknown>;
  const original = store.getSettings.bind(store);
  store.getSettings = async (accountId: string) => {
    if (explode) throw new Error('database exploded 4712');
    return original(accountId);
  };
});
afterAll(async () => {
  await host?.close();
  await core?.close();
  await c?.close();
  removeDirs(dirs);
});

describe('top-level error handlers', () => {
  it('browser host: a throwing handler is logged with its request and answered 500, then it serves on', async () => {
    const r = await fetch(`${host.origin}/notifications`, { headers: { 'x-blitz-token': host.token } });
    expect(r.status).toBe(500);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await r.text();
    expect(body).toContain('internal');
    expect(body).not.toContain('4711');
    expect(hostLog.join('\n')).toMatch(/GET \/notifications failed: Error: notifier exploded 4711/);
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  });

  it('collector: a failing store below a route is logged and answered 500, then it serves on', async () => {
    const m = await register(c, c.agentToken);
    explode = true;
    try {
      const r = await fetch(`${c.url}/api/v1/settings`, {
        headers: { authorization: `Bearer ${c.agentToken}` },
      });
      expect(r.status).toBe(500);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({ code: 'internal', message: 'internal error' });
    } finally {
      explode = false;
    }
    const line = collectorLog.find((l) => l.includes('request failed'));
    expect(line).toBeDefined();
    expect(line).toContain('database exploded 4712');
    expect(line).toContain('"method":"GET"');
    expect(line).toContain('/api/v1/settings');
    const pixel = await fetch(m.trackers[0]!.pixelUrl);
    expect(pixel.status).toBe(200);
    const me = await fetch(`${c.url}/api/v1/settings`, {
      headers: { authorization: `Bearer ${c.agentToken}` },
    });
    expect(me.status).toBe(200);
  });
});
