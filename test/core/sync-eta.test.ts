import { expect, it } from 'vitest';
import { etaEstimate } from '../../src-main/core/sync/sync';

/** The sidebar's „ca. N s“ of a pull: from the recent pages' rate, not from the pull's start. */
function clock(): { now: () => number; at: (ms: number) => void } {
  let t = 0;
  return { now: () => t, at: (ms) => void (t = ms) };
}

it('gives no estimate before the third page, then the rate of the pages, not of the start', () => {
  const c = clock();
  const eta = etaEstimate(c.now);
  // the first page took 2 s (request, the collector's first read), then one every 25 ms
  c.at(2000);
  expect(eta.page(5_000, 995_000)).toBeNull();
  c.at(2025);
  expect(eta.page(10_000, 990_000)).toBeNull();
  c.at(2050);
  // 10,000 events in 50 ms: 985,000 more in ~4.9 s (from the start: 15,000 in 2,050 ms, ~135 s)
  expect(eta.page(15_000, 985_000)).toBe(5);
});

it('follows the recent rate when the pages slow down, and says nothing without a rest', () => {
  const c = clock();
  const eta = etaEstimate(c.now);
  let events = 0;
  let t = 0;
  // fast for 5 s: a page of 5,000 every 50 ms
  for (let i = 0; i < 100; i++) {
    c.at((t += 50));
    eta.page((events += 5_000), 1_000_000);
  }
  // then one every 500 ms (10,000 events/s) for 5 s: the estimate follows within the window
  let last: number | null = null;
  for (let i = 0; i < 10; i++) {
    c.at((t += 500));
    last = eta.page((events += 5_000), 100_000);
  }
  expect(last).toBe(10);
  c.at((t += 500));
  expect(eta.page((events += 5_000), null)).toBeNull();
});
