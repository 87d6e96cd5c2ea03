import { countRefusal } from '../ops/metrics';

/**
 * Fixed-window counters per key. Cheap enough for the pixel path: one Map lookup per check,
 * and the whole map is dropped at each window boundary.
 */
export class RateLimiter {
  private counts = new Map<string, number>();
  private windowStart = Date.now();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  /** true when the key is still within its limit (and counts this call) */
  allow(key: string): boolean {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      this.counts = new Map();
      this.windowStart = now;
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    if (this.counts.size >= this.maxKeys && n === 1) {
      // memory bound under a spray of addresses: start over rather than grow
      this.counts = new Map();
    }
    this.counts.set(key, n);
    return n <= this.limit;
  }
}

export interface RateLimits {
  enabled: boolean;
  publicPerIp: number;
  publicPerToken: number;
  apiPerIp: number;
  apiPerToken: number;
  authFailuresPerIp: number;
}

/** Limits per minute, from the environment (docs/collector.md lists them). */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv, enabled?: boolean): RateLimits {
  const num = (name: string, dflt: number): number => {
    const v = env[name];
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n > 0 ? n : dflt;
  };
  return {
    enabled: enabled ?? env.BLITZ_RATE_LIMIT !== '0',
    publicPerIp: num('BLITZ_RATE_PUBLIC_PER_IP', 600),
    publicPerToken: num('BLITZ_RATE_PUBLIC_PER_TOKEN', 300),
    apiPerIp: num('BLITZ_RATE_API_PER_IP', 1200),
    apiPerToken: num('BLITZ_RATE_API_PER_TOKEN', 600),
    authFailuresPerIp: num('BLITZ_RATE_AUTH_FAILURES_PER_IP', 30),
  };
}

export class Limits {
  readonly publicIp: RateLimiter;
  readonly publicToken: RateLimiter;
  readonly apiIp: RateLimiter;
  readonly apiToken: RateLimiter;
  readonly authFailures: RateLimiter;

  constructor(readonly cfg: RateLimits) {
    this.publicIp = new RateLimiter(cfg.publicPerIp);
    this.publicToken = new RateLimiter(cfg.publicPerToken);
    this.apiIp = new RateLimiter(cfg.apiPerIp);
    this.apiToken = new RateLimiter(cfg.apiPerToken);
    this.authFailures = new RateLimiter(cfg.authFailuresPerIp);
  }

  publicAllowed(ip: string, token: string): boolean {
    if (!this.cfg.enabled) return true;
    // both counters move, so a spray over many tokens from one IP is caught as well
    const a = this.publicIp.allow(ip);
    const b = this.publicToken.allow(token);
    if (!(a && b)) countRefusal(this); // issue 20: metrics
    return a && b;
  }
}
