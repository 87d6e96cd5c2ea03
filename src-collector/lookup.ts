import type { ResolvedToken, Store } from './store/types';
import { Lru } from './util/lru';

/**
 * In-memory answers for the public paths: token → tracker (tokens never change, so entries
 * only age out) and account → tracking switch (invalidated when settings change here, and
 * short-lived so another instance's change is seen soon).
 */
export class Lookup {
  // issue 17: an erasure deletes trackers, so a cached token must not outlive it for long
  // (an erasure through this process's API forgets at once: forgetTokens)
  private readonly tokens = new Lru<string, ResolvedToken>(50_000, 10 * 60_000);
  private readonly switches: Lru<string, boolean>;

  constructor(
    private readonly store: Store,
    settingsTtlMs = 5_000,
  ) {
    this.switches = new Lru(10_000, settingsTtlMs);
  }

  /** the cached tracker, without a trip through the event loop; undefined when not cached */
  cachedToken(token: string): ResolvedToken | undefined {
    return this.tokens.get(token);
  }

  /** the cached switch, likewise */
  cachedTracking(accountId: string): boolean | undefined {
    return this.switches.get(accountId);
  }

  async resolve(token: string): Promise<ResolvedToken | null> {
    const cached = this.tokens.get(token);
    if (cached) return cached;
    const r = await this.store.resolveToken(token);
    if (r) this.tokens.set(token, r);
    return r;
  }

  async trackingEnabled(accountId: string): Promise<boolean> {
    const cached = this.switches.get(accountId);
    if (cached !== undefined) return cached;
    const s = await this.store.getSettings(accountId);
    this.switches.set(accountId, s.trackingEnabled);
    return s.trackingEnabled;
  }

  /** after an erasure or retention run: trackers may be gone */
  forgetTokens(): void {
    this.tokens.clear();
  }

  settingsChanged(accountId: string): void {
    this.switches.delete(accountId);
  }
}
