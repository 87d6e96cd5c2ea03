import type { Logger } from 'pino';
import type { TrackingDomainRecord, TrackingDomainsStore } from '../store/domains/types';
import { probeDomain, type ProbeOptions, type ProbeResult } from './probe';

export interface VerifierOptions {
  probe?: ProbeOptions;
  /** how often due domains are looked for (default 15 s) */
  tickMs?: number;
  /** first retry of a failed probe; doubles per failure (default 1 min) */
  retryBaseMs?: number;
  /** longest wait between retries (default 1 h) */
  retryMaxMs?: number;
  /** how often a live domain is probed again (default 6 h) */
  recheckMs?: number;
}

/** when the probe after `rec`'s check is due */
export function nextCheckDelay(
  result: Pick<ProbeResult, 'ok'>,
  failuresBefore: number,
  opts: VerifierOptions = {},
): number {
  if (result.ok) return opts.recheckMs ?? 6 * 3600_000;
  const base = opts.retryBaseMs ?? 60_000;
  const max = opts.retryMaxMs ?? 3600_000;
  return Math.min(max, base * 2 ** Math.min(failuresBefore, 20));
}

/**
 * Issue 20: probes the accounts' tracking domains (domains/probe.ts) — when set, when an admin
 * asks, and periodically: pending and failed ones with a doubling backoff, live ones every few
 * hours. The state lands in the store; the host map (new links) follows it. A live domain that
 * fails is NOT taken out of use — mail already sent links there — the log and the admin's views
 * say so (docs/operations.md, "Tracking-Domain prüfen").
 */
export class DomainVerifier {
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Map<string, Promise<TrackingDomainRecord | null>>();
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly store: TrackingDomainsStore,
    private readonly secret: string,
    private readonly log: Logger,
    /** called after a check changed whether a domain is live (the host map re-reads) */
    private readonly onChanged: () => Promise<void>,
    private readonly opts: VerifierOptions = {},
  ) {}

  start(): void {
    const tick = this.opts.tickMs ?? 15_000;
    this.timer = setInterval(() => void this.tick(), tick);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /** probes the due domains once (what the timer does) */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        const now = Date.now();
        // the lease: another instance leaves them alone while this one probes (timeout + margin)
        const lease = new Date(now + (this.opts.probe?.timeoutMs ?? 10_000) * 3).toISOString();
        const due = await this.store.claimDue(new Date(now).toISOString(), lease, 20);
        await Promise.all(due.map((d) => this.verify(d)));
      } catch (e) {
        this.log.warn({ err: e }, 'tracking domain probes not run');
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** probes `rec`'s host now (joins a probe already running for it); the record after it */
  verify(rec: TrackingDomainRecord): Promise<TrackingDomainRecord | null> {
    const key = `${rec.host} ${rec.createdAt}`;
    let p = this.running.get(key);
    if (!p) {
      p = this.probeAndRecord(rec).finally(() => this.running.delete(key));
      this.running.set(key, p);
    }
    return p;
  }

  private async probeAndRecord(rec: TrackingDomainRecord): Promise<TrackingDomainRecord | null> {
    const result = await probeDomain(rec.host, this.secret, this.opts.probe);
    const at = new Date();
    const next = new Date(at.getTime() + nextCheckDelay(result, rec.failures, this.opts)).toISOString();
    const after = await this.store.recordCheck(
      rec.host,
      rec.createdAt,
      { at: at.toISOString(), ok: result.ok, code: result.code, detail: result.ok ? null : result.detail },
      next,
    );
    const fields = {
      host: rec.host,
      accountId: rec.accountId,
      code: result.code,
      detail: result.detail,
      addresses: result.addresses,
      nextCheckAt: next,
    };
    if (result.ok) {
      if (rec.state !== 'verified') this.log.info(fields, 'tracking domain verified: new links use it now');
      else if (rec.lastCheck && !rec.lastCheck.ok)
        this.log.info(fields, 'tracking domain reaches this collector again');
    } else if (rec.state === 'verified') {
      // links in sent mail point there: not taken out of use, but loud
      this.log.error(
        fields,
        'live tracking domain does not reach this collector: opens and clicks of sent mail may be lost (docs/operations.md)',
      );
    } else {
      this.log.warn(fields, 'tracking domain probe failed: stays pending, new links keep the shared host');
    }
    if (after && after.state !== rec.state) await this.onChanged();
    return after;
  }
}
