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
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [scrollRef]);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / rowHeight) + overscan);
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
