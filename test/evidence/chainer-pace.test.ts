import { describe, expect, it } from 'vitest';
import { pauseAfterRound } from '../../src-collector/evidence/chainer';

/** Issue 16: how the background chainer yields to hits, and where it stops yielding. */
describe('pauseAfterRound', () => {
  const base = { roundMs: 30, busy: true, duty: 0.03, behindForMs: 1_000, maxLagMs: 30_000 };

  it('keeps the chainer at its share of the time while hits arrive', () => {
    // 30 ms of appending, then 970 ms of pause: 3 %
    expect(pauseAfterRound(base)).toBeCloseTo(970, 6);
    expect(pauseAfterRound({ ...base, duty: 0.1 })).toBeCloseTo(270, 6);
  });

  it('does not pause when no hits arrive (catching up after a burst)', () => {
    expect(pauseAfterRound({ ...base, busy: false })).toBe(0);
  });

  it('stops pausing once the chain has been behind longer than the lag bound', () => {
    expect(pauseAfterRound({ ...base, behindForMs: 30_001 })).toBe(0);
    expect(pauseAfterRound({ ...base, behindForMs: 29_999 })).toBeGreaterThan(0);
  });

  it('never pauses longer than 2 s, nor forever at a zero duty', () => {
    expect(pauseAfterRound({ ...base, roundMs: 500 })).toBe(2000);
    expect(pauseAfterRound({ ...base, duty: 0 })).toBe(2000);
    expect(pauseAfterRound({ ...base, duty: 1 })).toBe(0);
  });
});
