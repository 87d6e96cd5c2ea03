import { describe, expect, it } from 'vitest';
import { nextRowRange } from '../../src-renderer/lib/use-row-window';

// issue 12: the list renders again only when the rows on screen are not all rendered (or far
// fewer than rendered), not after measuring its first render or on every scroll event
describe('nextRowRange', () => {
  const H = 68;
  const O = 8;

  it('keeps the first render’s rows when the list is measured a little shorter than the window', () => {
    const guessed = { first: 0, last: Math.ceil(800 / H) + O };
    expect(nextRowRange(guessed, 0, 650, H, O)).toBe(guessed);
  });

  it('keeps the rows while scrolling within them, and moves them once the screen leaves them', () => {
    const start = nextRowRange({ first: 0, last: 0 }, 0, 650, H, O);
    expect(start).toEqual({ first: 0, last: 10 + O });
    // five rows down: all on screen are rendered
    expect(nextRowRange(start, 5 * H, 650, H, O)).toBe(start);
    // one row past the rendered ones: rendered around the screen again, overscan on both sides
    const moved = nextRowRange(start, 9 * H, 650, H, O);
    expect(moved).toEqual({ first: 9 - O, last: 19 + O });
    // a jump far down (the scrollbar dragged)
    expect(nextRowRange(moved, 5_000 * H, 650, H, O)).toEqual({ first: 5_000 - O, last: 5_010 + O });
  });

  it('renders fewer rows when the list got much shorter than the rows rendered', () => {
    const tall = nextRowRange({ first: 0, last: 0 }, 0, 3_000, H, O);
    expect(nextRowRange(tall, 0, 650, H, O)).toEqual({ first: 0, last: 10 + O });
  });
});
