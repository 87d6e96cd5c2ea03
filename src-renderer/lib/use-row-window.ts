import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  /** first and last row index to render (overscan included); last < first when there are none */
  first: number;
  last: number;
  /** the height of all rows, for the scroll area */
  totalHeight: number;
  /** scrolls as little as needed to show row `index` */
  scrollToIndex(index: number): void;
}

/** rows to render: first and last index, the last not yet cut to the row count */
export interface RowRange {
  first: number;
  last: number;
}

const GUESS_ABOVE_PX = 100;

function rangeAround(top: number, height: number, rowHeight: number, overscan: number): RowRange {
  return {
    first: Math.max(0, Math.floor(top / rowHeight) - overscan),
    last: Math.ceil((top + height) / rowHeight) + overscan,
  };
}

/**
 * The rows to render for a scroll position: `prev` itself (so React renders nothing) while the rows
 * on screen are all among them and they are not far more than those, else the rows on screen with
 * `overscan` on each side. Scrolling renders once per `overscan` rows instead of per scroll event,
 * and measuring the list after its first render (a little shorter than the window it was guessed
 * from) renders nothing again (issue 12: that second render was 15–25 ms of every list open).
 */
export function nextRowRange(
  prev: RowRange,
  top: number,
  height: number,
  rowHeight: number,
  overscan: number,
): RowRange {
  const seenFirst = Math.floor(top / rowHeight);
  const seenLast = Math.ceil((top + height) / rowHeight);
  const covered = seenFirst >= prev.first && seenLast <= prev.last;
  const tooMany = prev.last - prev.first > seenLast - seenFirst + 4 * overscan;
  return covered && !tooMany ? prev : rangeAround(top, height, rowHeight, overscan);
}

/**
 * The rows of a fixed-height list that are on screen, from the scroll position alone: O(rows on
 * screen) per scroll or change of count. (@tanstack/react-virtual measured every one of 100,000
 * rows again whenever the count or its key function changed: 300 ms and more per keystroke in the
 * search, `npm run bench -- --only ui`.)
 */
export function useRowWindow(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan = 8,
): RowWindow {
  // before the list is measured: as if it were the window's height less the search box above it
  // (GUESS_ABOVE_PX, less than the search, filters and count take): a guess at least as high as the
  // list needs no second render, and one much higher renders rows for nothing on every keystroke
  const [range, setRange] = useState(() =>
    rangeAround(
      0,
      typeof window === 'undefined' ? 800 : Math.max(0, window.innerHeight - GUESS_ABOVE_PX),
      rowHeight,
      overscan,
    ),
  );
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = (): void =>
      setRange((prev) => nextRowRange(prev, el.scrollTop, el.clientHeight, rowHeight, overscan));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [scrollRef, rowHeight, overscan]);
  const first = range.first;
  const last = Math.min(count - 1, range.last);
  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const top = index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight)
        el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [scrollRef, rowHeight],
  );
  return { first, last, totalHeight: count * rowHeight, scrollToIndex };
}
