/**
 * Notification hold-back (issue 21), the part both programs agree on. The collector marks a hit
 * whose person's verdict a later hit could still overturn with `detail.settleAt` (ISO time, the
 * collector's clock); a desktop shows the hit at once as „wird geprüft“, waits until then, reads
 * the verdict again and notifies only if it still counts as the person.
 *
 * Older desktops ignore the field (they drop unknown detail fields) and notify at arrival as
 * before; a newer desktop talking to an older collector sees no settleAt and holds nothing.
 */

/** No person's notification waits longer than this. */
export const HOLD_CAP_MS = 30_000;

/**
 * How long to wait now for an event that occurred at `occurredAtMs` and settles at `settleAtMs`
 * (both the collector's clock), read at `nowMs` (this machine's clock): the rest of the hold, at
 * most the whole hold and at most the cap. A desktop clock behind the collector's therefore waits
 * at most the hold, never longer; one ahead of it shortens the wait by the difference.
 */
export function settleDelayMs(occurredAtMs: number, settleAtMs: number, nowMs: number): number {
  const hold = settleAtMs - occurredAtMs;
  if (!Number.isFinite(hold) || hold <= 0) return 0;
  return Math.max(0, Math.min(settleAtMs - nowMs, hold, HOLD_CAP_MS));
}

/** the settle time of an event's detail, in ms, or null when it carries none (or a broken one) */
export function settleAtOf(detail: { settleAt?: string | undefined }): number | null {
  if (detail.settleAt === undefined) return null;
  const t = Date.parse(detail.settleAt);
  return Number.isFinite(t) ? t : null;
}

interface Group<T> {
  firstAt: number;
  releaseAt: number;
  items: T[];
}

/**
 * Held items by key (one sent message). The items of one key are released together once the
 * last of them has settled: a gateway's burst shows itself link by link, and the first link must
 * wait for the second. Extending a group never takes any of its items past HOLD_CAP_MS after it
 * arrived; an item that would is put in a group of its own. The clock is the caller's, so the
 * desktop (timers) and the replay of labelled sets (simulated time) use the same rules.
 */
export class HoldQueue<T> {
  private readonly groups = new Map<string, Group<T>[]>();

  add(key: string, item: T, delayMs: number, nowMs: number): void {
    const until = nowMs + Math.min(Math.max(0, delayMs), HOLD_CAP_MS);
    const list = this.groups.get(key) ?? [];
    const last = list[list.length - 1];
    if (last && Math.max(last.releaseAt, until) <= last.firstAt + HOLD_CAP_MS) {
      last.items.push(item);
      last.releaseAt = Math.max(last.releaseAt, until);
    } else {
      list.push({ firstAt: nowMs, releaseAt: until, items: [item] });
    }
    this.groups.set(key, list);
  }

  /** when the next group is due, or null when nothing is held */
  nextDue(): number | null {
    let next: number | null = null;
    for (const list of this.groups.values())
      for (const g of list) if (next === null || g.releaseAt < next) next = g.releaseAt;
    return next;
  }

  /** removes and returns the items of every group due at `nowMs`, each with its release time */
  takeDue(nowMs: number): { item: T; releaseAt: number }[] {
    const out: { item: T; releaseAt: number }[] = [];
    for (const [key, list] of this.groups) {
      const keep = list.filter((g) => {
        if (g.releaseAt > nowMs) return true;
        for (const item of g.items) out.push({ item, releaseAt: g.releaseAt });
        return false;
      });
      if (keep.length === 0) this.groups.delete(key);
      else this.groups.set(key, keep);
    }
    return out.sort((a, b) => a.releaseAt - b.releaseAt);
  }

  get size(): number {
    let n = 0;
    for (const list of this.groups.values()) for (const g of list) n += g.items.length;
    return n;
  }
}
