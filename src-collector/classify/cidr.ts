import { parseCidr, type ParsedIp } from './ip';

/**
 * Longest-prefix lookup over CIDR ranges. CIDR blocks are either nested or disjoint, so after
 * sorting by start (wider first on ties) the candidate for an address is the last range starting
 * at or before it; if that one has ended, the answer is among its ancestors (kept as parent
 * links), which a short walk up finds. Lookup is a binary search plus a few steps, no allocation.
 */
export class CidrTable<T> {
  private readonly v4Start: Float64Array;
  private readonly v4End: Float64Array;
  private readonly v4Parent: Int32Array;
  private readonly v4Value: T[];
  /** four words per range */
  private readonly v6Start: Uint32Array;
  private readonly v6End: Uint32Array;
  private readonly v6Parent: Int32Array;
  private readonly v6Value: T[];

  constructor(entries: Iterable<{ cidr: string; value: T }>) {
    const v4: { s: number; e: number; value: T }[] = [];
    const v6: { s: number[]; e: number[]; value: T }[] = [];
    for (const { cidr, value } of entries) {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`invalid CIDR in range data: ${cidr}`);
      if (parsed.v === 4) v4.push({ s: parsed.start[0] ?? 0, e: parsed.end[0] ?? 0, value });
      else v6.push({ s: parsed.start, e: parsed.end, value });
    }
    v4.sort((a, b) => a.s - b.s || b.e - a.e);
    v6.sort((a, b) => cmp6(a.s, 0, b.s, 0) || cmp6(b.e, 0, a.e, 0));

    this.v4Start = new Float64Array(v4.length);
    this.v4End = new Float64Array(v4.length);
    this.v4Value = v4.map((r) => r.value);
    v4.forEach((r, i) => {
      this.v4Start[i] = r.s;
      this.v4End[i] = r.e;
    });
    this.v4Parent = parents(v4.length, (i, j) => (this.v4End[j] ?? 0) >= (this.v4Start[i] ?? 0));

    this.v6Start = new Uint32Array(v6.length * 4);
    this.v6End = new Uint32Array(v6.length * 4);
    this.v6Value = v6.map((r) => r.value);
    v6.forEach((r, i) => {
      this.v6Start.set(r.s, i * 4);
      this.v6End.set(r.e, i * 4);
    });
    this.v6Parent = parents(v6.length, (i, j) => cmp6(this.v6End, j * 4, this.v6Start, i * 4) >= 0);
  }

  get size(): number {
    return this.v4Value.length + this.v6Value.length;
  }

  /** The value of the most specific range containing the address, if any. */
  lookup(ip: ParsedIp): T | undefined {
    if (ip.v === 4) {
      let lo = 0;
      let hi = this.v4Start.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((this.v4Start[mid] ?? 0) <= ip.n) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      for (let i = found; i >= 0; i = this.v4Parent[i] ?? -1) {
        if ((this.v4End[i] ?? -1) >= ip.n) return this.v4Value[i];
      }
      return undefined;
    }
    const key = Uint32Array.from(ip.w);
    let lo = 0;
    let hi = this.v6Value.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cmp6(this.v6Start, mid * 4, key, 0) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0; i = this.v6Parent[i] ?? -1) {
      if (cmp6(this.v6End, i * 4, key, 0) >= 0) return this.v6Value[i];
    }
    return undefined;
  }
}

type Words = ArrayLike<number>;

function cmp6(a: Words, ai: number, b: Words, bi: number): number {
  for (let k = 0; k < 4; k++) {
    const d = (a[ai + k] ?? 0) - (b[bi + k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parent = nearest earlier range still open at this one's start (ranges are sorted, laminar). */
function parents(n: number, covers: (child: number, candidate: number) => boolean): Int32Array {
  const parent = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    while (stack.length > 0 && !covers(i, stack[stack.length - 1] ?? 0)) stack.pop();
    parent[i] = stack.length > 0 ? (stack[stack.length - 1] ?? -1) : -1;
    stack.push(i);
  }
  return parent;
}
