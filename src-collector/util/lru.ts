/** A small LRU on Map's insertion order, with an optional time to live per entry. */
export class Lru<K, V> {
  private readonly map = new Map<K, { v: V; exp: number }>();

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
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.v;
  }

  set(key: K, v: V): void {
    this.map.delete(key);
    this.map.set(key, {
      v,
      exp: this.ttlMs === Number.POSITIVE_INFINITY ? this.ttlMs : Date.now() + this.ttlMs,
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
