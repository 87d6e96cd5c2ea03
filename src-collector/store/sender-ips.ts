/**
 * The sender's recent full IPs, in memory only: they are the agent's own addresses, needed to
 * recognise the agent opening their own mail, and are forgotten after `ttlMs`.
 */
export class SenderIpMemory {
  private readonly byUser = new Map<string, Map<string, number>>();

  constructor(
    private readonly ttlMs = 7 * 24 * 3600_000,
    private readonly perUser = 32,
  ) {}

  record(userId: string, ip: string, at: Date): void {
    let ips = this.byUser.get(userId);
    if (!ips) {
      ips = new Map();
      this.byUser.set(userId, ips);
    }
    ips.delete(ip);
    ips.set(ip, at.getTime());
    if (ips.size > this.perUser) {
      const oldest = ips.keys().next();
      if (!oldest.done) ips.delete(oldest.value);
    }
  }

  list(userId: string, since: Date): string[] {
    const ips = this.byUser.get(userId);
    if (!ips) return [];
    const floor = Math.max(since.getTime(), Date.now() - this.ttlMs);
    const out: string[] = [];
    for (const [ip, at] of ips) {
      if (at >= floor) out.push(ip);
      else if (at < Date.now() - this.ttlMs) ips.delete(ip);
    }
    return out;
  }
}
