/** A small LRU on Map's insertion order, with an optional time to live per entry. */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; exp: number; at: number }>();
  /** counts operations: an entry's `at` is when it last moved to the newest end */
  private tick = 0;

  constructor(
    private readonly max: number,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.exp < Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    // moved to the newest end only when it has aged into the older half: an entry read on every
    // hit (a mailing's tokens) is not deleted and re-inserted each time, and eviction still takes
    // one that nobody read for at least max/2 operations
    this.tick++;
    if (this.tick - hit.at > this.max / 2) {
      hit.at = this.tick;
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit.v;
  }

  set(key: K, v: V): void {
    this.map.delete(key);
    this.tick++;
    this.map.set(key, {
      v,
      exp: this.ttlMs === Number.POSITIVE_INFINITY ? this.ttlMs : Date.now() + this.ttlMs,
      at: this.tick,
    });
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
