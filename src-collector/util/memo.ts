/**
 * `fn` remembered per key, for pure functions of values that repeat (agent strings, client
 * addresses). Bounded: past `max` keys the memo starts over, so a spray of distinct keys costs
 * memory once, not forever, and no per-hit LRU bookkeeping is paid.
 */
export function boundedMemo<K, V>(fn: (key: K) => V, max: number): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = fn(key);
    if (memo.size >= max) memo.clear();
    memo.set(key, value);
    return value;
  };
}
