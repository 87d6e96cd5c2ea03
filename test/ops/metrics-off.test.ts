import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsNsPerHit } from '../../bench/scenarios/metrics';
import { startTestCollector, type TestCollector } from '../support/collector';
import { register } from '../collector/helpers';

/** BLITZ_METRICS=0 (the bench's "off" arm): no metrics, and hits still answered and stored. */
describe('metrics off', () => {
  let c: TestCollector;
  const before = process.env.BLITZ_METRICS;
  beforeAll(async () => {
    process.env.BLITZ_METRICS = '0';
    c = await startTestCollector();
  });
  afterAll(async () => {
    await c?.close();
    if (before === undefined) delete process.env.BLITZ_METRICS;
    else process.env.BLITZ_METRICS = before;
  });

  it('/metrics answers 404 metrics_off; pixels, /healthz and /readyz work as before', async () => {
    const r = await fetch(`${c.url}/metrics`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('metrics_off');
    const reg = await register(c, c.agentToken);
    const gif = await fetch(reg.trackers[0]!.pixelUrl);
    expect(gif.status).toBe(200);
    expect((await gif.arrayBuffer()).byteLength).toBe(43);
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
  });

  it("the bench's measure of the metrics' own work per hit is a positive number of nanoseconds", () => {
    const ns = metricsNsPerHit();
    expect(ns).toBeGreaterThan(0);
    // far below a hit's whole cost (~100 µs CPU): a regression to per-hit label hashing and
    // extra listeners would still pass, a per-hit allocation of the registry would not
    expect(ns).toBeLessThan(50_000);
  });
});
