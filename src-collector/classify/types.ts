import type { Verdict } from '../../src-shared/events';

/**
 * Everything the classifier may look at for one hit. The collector builds it from the request
 * while the full IP is still in memory; only `ipPrefix` and the derived `ipOwner` are stored.
 */
export interface HitSignals {
  kind: 'open' | 'click' | 'landing';
  /** landing-page action (visited, link_opened, document_downloaded, …), when kind = landing */
  action?: string;
  /** index of the followed link, when kind = click; -1 for the honeypot link */
  linkIndex?: number;
  honeypot?: boolean;
  method: string;
  at: Date;
  /** the full client IP; never stored (only its prefix and its owner are) */
  ip: string;
  userAgent: string;
  headers: {
    'sec-purpose'?: string;
    purpose?: string;
    accept?: string;
    'x-moz'?: string;
    'x-purpose'?: string;
  };
}

/** What the collector knows around the hit: the message and earlier hits on it. */
export interface HitContext {
  /** when the message was registered (≈ sent) */
  sentAt: Date;
  /** number of tracked links of the message */
  linkCount: number;
  /** full IPs the sender used against the API recently (kept in memory / short-lived storage) */
  senderIps: readonly string[];
  /** earlier hits on the same message, oldest first, with their verdicts */
  previous: readonly ClassifiedHit[];
  /**
   * The account says its office shares a network with prospects (a co-working space, a
   * building's shared line): then only the sender's exact address (IPv6: /64) is the sender,
   * not the rest of its block.
   */
  sharesNetworkWithProspects?: boolean;
}

export interface ClassifiedHit {
  signals: HitSignals;
  verdict: Verdict;
  reasons: string[];
}

export interface Classification {
  verdict: Verdict;
  /** stable reason codes, e.g. `ua.apple_mpp`, `ip.microsoft`, `method.head`, `timing.burst` */
  reasons: string[];
  /** who owns the IP according to the published ranges, if known (stored) */
  ipOwner?: string;
  /**
   * Earlier hits of the same message that this hit shows to be machines (e.g. the first link of a
   * scanner burst, called human when it arrived alone). `index` points into `context.previous`.
   * The collector should update those stored verdicts; it never has to revisit on its own.
   */
  revise?: Revision[];
  /**
   * A person's verdict that a hit still to come could overturn (issue 21): the desktop holds its
   * notification back this long after the hit and notifies only if the verdict still counts as
   * the person then. `reasons` (`hold.*`) say which evidence is still open.
   */
  hold?: Hold;
}

export interface Hold {
  ms: number;
  reasons: string[];
}

export interface Revision {
  /** index into the `previous` list of the context this classification was made with */
  index: number;
  verdict: Verdict;
  reasons: string[];
}

export type Classifier = (hit: HitSignals, context: HitContext) => Classification;
