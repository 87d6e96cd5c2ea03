import type { Verdict } from '../../src-shared/events';
import { parseIp, sameHost, sameCoarseNetwork, sameOfficeBlock, type ParsedIp } from './ip';
import { HOLD_CAP_MS } from '../../src-shared/hold';
import { boundedMemo } from '../util/memo';
import { rangeOf, type RangeInfo } from './owners';
import type { Classification, Classifier, HitContext, HitSignals, Hold, Revision } from './types';
import {
  isBareMozilla,
  isBotUserAgent,
  isBrowser,
  isMailClient,
  isPreviewBot,
  isScriptUserAgent,
  mailProxyOf,
} from './user-agent';

/** Tunable time constants; the defaults are the documented ones (README). */
export interface ClassifierOptions {
  /** hits of one network with gaps up to this belong to one burst */
  burstGapMs: number;
  /** "at delivery": this long after sending (security gateways and fetchers act within minutes) */
  deliveryWindowMs: number;
  /** a hit from a network that produced a scanner verdict this recently is that scanner again */
  followWindowMs: number;
  /**
   * a cloud hit on the same link as another network's hit this close in time is a security
   * service checking the link the person clicks (time-of-click protection). Up to 10 s: with
   * "wait for URL scanning to complete" (Safe Links) the person's browser shows a scanning page
   * and follows only after the detonation, which takes seconds
   */
  twinWindowMs: number;
  /** two clicks walking the links in document order (0, 1) this close are a crawler */
  walkGapMs: number;
  /** three or more (0, 1, 2, …) with gaps up to this: a crawler loading each page in a browser */
  slowWalkGapMs: number;
  /** added to every hold: the later hit still has to reach the collector and the desktop */
  holdMarginMs: number;
  /**
   * hits this soon after sending are held for a burst: wider than the delivery window, since
   * gateways that queue or detonate (Safe Links dynamic delivery, sandboxes) follow the links up
   * to half an hour or more after delivery, and a hold costs a person only seconds
   */
  holdAfterSendMs: number;
}

/** how far back a burst chain may reach */
const BURST_HORIZON_MS = 60_000;

export const DEFAULT_OPTIONS: ClassifierOptions = {
  burstGapMs: 2_000,
  deliveryWindowMs: 10 * 60_000,
  followWindowMs: 60_000,
  twinWindowMs: 10_000,
  walkGapMs: 5_000,
  slowWalkGapMs: 10_000,
  holdMarginMs: 1_000,
  holdAfterSendMs: 60 * 60_000,
};

const PREFETCH_HEADERS: readonly { name: keyof HitSignals['headers']; re: RegExp; reason: string }[] = [
  { name: 'sec-purpose', re: /prefetch|prerender/i, reason: 'header.sec_purpose_prefetch' },
  { name: 'purpose', re: /prefetch|preview/i, reason: 'header.purpose_prefetch' },
  { name: 'x-moz', re: /prefetch/i, reason: 'header.x_moz_prefetch' },
  { name: 'x-purpose', re: /prefetch|preview/i, reason: 'header.x_purpose_preview' },
];

interface Hit {
  signals: HitSignals;
  ip: ParsedIp | null;
  range: RangeInfo | undefined;
  /** the address the parse was made from (a changed address is parsed again) */
  ipText: string;
  /** the user agent, trimmed once: every later hit of the message compares against it */
  ua: string;
}

/**
 * Parsed once per signals object: a message's earlier hits are the context of every later hit,
 * so without this each hit would re-parse and re-look-up the IPs of all of them. The parse rides
 * on the signals object under a symbol (invisible to JSON and to Object.keys). It was a WeakMap:
 * with a new key per hit its ephemeron table held tens of thousands of entries between major
 * GCs, and V8 walks ephemerons in the GC's atomic pause (12–25 ms pauses under load).
 */
const DESCRIBED: unique symbol = Symbol('blitz.classify.described');
type Describable = HitSignals & { [DESCRIBED]?: Hit };

function describe(signals: HitSignals): Hit {
  const known = (signals as Describable)[DESCRIBED];
  if (known && known.ipText === signals.ip) return known;
  const ip = parseIp(signals.ip);
  const hit: Hit = {
    signals,
    ip,
    range: ip ? rangeOf(ip) : undefined,
    ipText: signals.ip,
    ua: signals.userAgent.trim(),
  };
  (signals as Describable)[DESCRIBED] = hit;
  return hit;
}

/** One provider's fleet is one network; elsewhere the /24 (IPv4) or /48 (IPv6). */
function sameNetwork(a: Hit, b: Hit): boolean {
  if (!a.ip || !b.ip) return false;
  if (a.range && b.range) return a.range.owner === b.range.owner;
  return sameCoarseNetwork(a.ip, b.ip);
}

const isHoneypot = (s: HitSignals): boolean => s.honeypot === true || s.linkIndex === -1;

function verdictOf(verdict: Verdict, reasons: string[], hit: Hit, revise?: Revision[]): Classification {
  const out: Classification = { verdict, reasons };
  if (hit.range) out.ipOwner = hit.range.owner;
  if (revise && revise.length > 0) out.revise = revise;
  return out;
}

type Earlier = Hit & { verdict: Verdict; index: number };

interface UaFacts {
  preview: boolean;
  proxy: boolean;
  bareMozilla: boolean;
  script: boolean;
  bot: boolean;
  mailClient: boolean;
  browser: boolean;
}

/**
 * The user-agent tests are dozens of regular expressions (isbot's is huge); mail clients and
 * fetchers repeat a few hundred agent strings, so each is tested once. Bounded: a spray of
 * random agents only restarts the memo.
 */
const uaFacts = boundedMemo(
  (ua: string): UaFacts => ({
    preview: isPreviewBot(ua),
    proxy: mailProxyOf(ua) !== undefined,
    bareMozilla: isBareMozilla(ua),
    script: isScriptUserAgent(ua),
    bot: isBotUserAgent(ua),
    mailClient: isMailClient(ua),
    browser: isBrowser(ua),
  }),
  10_000,
);

/** The burst's hits called human when they arrived are machines after all. */
function reviseHumans(burst: readonly Earlier[], reasons: string[]): Revision[] {
  return burst
    .filter((p) => p.verdict === 'human')
    .map((p) => ({
      index: p.index,
      verdict: 'scanner' as const,
      reasons: [...reasons, 'context.revised'],
    }))
    .sort((a, b) => a.index - b.index);
}

function machine(burst: readonly Earlier[], hit: Hit, verdict: Verdict, reasons: string[]): Classification {
  return verdictOf(
    verdict,
    reasons,
    hit,
    verdict === 'scanner' ? reviseHumans(burst, ['context.burst_with_machine']) : [],
  );
}

/**
 * The decision, strongest evidence first. Each rule that fires ends the decision; later context
 * (a burst, the honeypot) can still re-label the earlier hits through `revise`.
 */
export function createClassifier(options: Partial<ClassifierOptions> = {}): Classifier {
  const opt: ClassifierOptions = { ...DEFAULT_OPTIONS, ...options };

  return (signals: HitSignals, context: HitContext): Classification => {
    const hit = describe(signals);
    const ua = hit.ua;
    const at = signals.at.getTime();
    const sinceSent = at - context.sentAt.getTime();
    const atDelivery = sinceSent <= opt.deliveryWindowMs;
    const category = hit.range?.category;

    // Only recent earlier hits matter; a landing page with thousands of visits stays cheap. One
    // pass keeps just what the rules below read: the hits of the same source (for the burst) and
    // whether a scanner of this network came shortly before. Copying all of them into a list of
    // their own cost more than the decision (20 objects per hit).
    const horizon = Math.max(opt.followWindowMs, BURST_HORIZON_MS);
    const sources: Earlier[] = [];
    let followed = false;
    const previous = context.previous;
    for (let index = 0; index < previous.length; index++) {
      const p = previous[index];
      if (!p) continue;
      const t = p.signals.at.getTime();
      if (t > at || at - t > horizon) continue;
      const d = describe(p.signals);
      const network = sameNetwork(d, hit);
      if (network && !followed && p.verdict === 'scanner' && at - t <= opt.followWindowMs) followed = true;
      // One source for burst purposes: the same network, or the very same user agent. A scanner
      // fleet on unlisted hosting spreads over many /24s but sends one agent string; two people
      // clicking different links of one message within a second or two is the rare case this
      // gives up.
      if (!network && (d.ua === '' || d.ua !== hit.ua)) continue;
      // fields spelt out: an object spread here cost more than the rest of the decision
      sources.push({
        signals: d.signals,
        ip: d.ip,
        range: d.range,
        ipText: d.ipText,
        ua: d.ua,
        verdict: p.verdict,
        index,
      });
    }

    // Earlier hits of the same source that chain into this one with small gaps.
    const burst: Earlier[] = [];
    let chainStart = at;
    const byTimeDesc = sources.sort((a, b) => b.signals.at.getTime() - a.signals.at.getTime());
    for (const p of byTimeDesc) {
      if (chainStart - p.signals.at.getTime() > opt.burstGapMs) break;
      burst.push(p);
      chainStart = p.signals.at.getTime();
    }
    // (no closures here: the collector runs under a loader that wraps every named closure
    // in a defineProperty call, which dominated the cost of a hit)

    // The sender looking at their own message (same address, or same IPv6 /64).
    if (hit.ip) {
      let office = false;
      for (const raw of context.senderIps) {
        const sender = parseIp(raw);
        if (!sender) continue;
        if (sameHost(sender, hit.ip)) return verdictOf('self', ['ip.sender'], hit);
        if (!office && sameOfficeBlock(sender, hit.ip)) office = true;
      }
      // Another address of the agent's office block: the agent's side, unless the account shares
      // its network with prospects. Gateways and proxies are recognised by the rules above this
      // only for hits that are not the office's, which is right: an office does not host them.
      if (office && context.sharesNetworkWithProspects !== true)
        return verdictOf('self', ['ip.sender_network'], hit);
    }

    if (isHoneypot(signals))
      return verdictOf('scanner', ['link.honeypot'], hit, reviseHumans(burst, ['burst.honeypot']));

    const method = signals.method.toUpperCase();
    if (method === 'HEAD') return machine(burst, hit, 'scanner', ['method.head']);
    if (method !== 'GET' && method !== 'POST') return machine(burst, hit, 'scanner', ['method.other']);

    for (const h of PREFETCH_HEADERS) {
      const value = signals.headers[h.name];
      if (value !== undefined && h.re.test(value)) return verdictOf('prefetch', [h.reason], hit);
    }

    const uaf = uaFacts(ua);
    if (uaf.preview) {
      return verdictOf(
        'preview',
        category === 'preview' ? ['ua.preview', 'ip.preview_network'] : ['ua.preview'],
        hit,
      );
    }

    if (uaf.proxy) {
      const reasons = [`ua.mail_proxy`];
      if (category === 'mail_proxy') reasons.push('ip.mail_provider');
      return verdictOf('proxy', reasons, hit);
    }

    if (category === 'mail_privacy') {
      const reasons = ['ip.apple_mpp'];
      if (uaf.bareMozilla) reasons.push('ua.bare_mozilla');
      return verdictOf('prefetch', reasons, hit);
    }

    // Apple's relay egress: the pixel without a mail client's agent is Mail Privacy Protection
    // fetching it; a click or a page (or Mail showing it with "Hide IP Address") is a person
    // behind Private Relay and goes on through the rules below.
    if (category === 'relay' && signals.kind === 'open' && !uaf.mailClient) {
      const reasons = ['ip.apple_relay'];
      if (uaf.bareMozilla) reasons.push('ua.bare_mozilla');
      return verdictOf('prefetch', reasons, hit);
    }

    if (uaf.bareMozilla) {
      return signals.kind === 'open'
        ? verdictOf('prefetch', ['ua.bare_mozilla'], hit)
        : machine(burst, hit, 'scanner', ['ua.bare_mozilla']);
    }

    if (category === 'mail_proxy') {
      // A mailbox provider's own fleet without its image-proxy agent: Gmail's delivery-time
      // fetch of the pixel, or the provider checking a link.
      if (signals.kind === 'open') {
        const reasons = ['ip.mail_provider', 'ua.not_image_proxy'];
        if (atDelivery) reasons.push('timing.at_delivery');
        return verdictOf('prefetch', reasons, hit);
      }
      return machine(burst, hit, 'scanner', ['ip.mail_provider']);
    }

    if (ua === '') return machine(burst, hit, 'scanner', ['ua.empty']);
    if (uaf.script) return machine(burst, hit, 'scanner', ['ua.script']);
    if (uaf.bot) return machine(burst, hit, 'scanner', ['ua.bot']);

    if (category === 'preview') return verdictOf('preview', ['ip.preview_network'], hit);
    if (category === 'mail_security') {
      const reasons = ['ip.mail_security'];
      if (atDelivery) reasons.push('timing.at_delivery');
      return machine(burst, hit, 'scanner', reasons);
    }

    // Context: the honeypot or several links within seconds from one network.
    const members = burst;
    if (members.some((p) => isHoneypot(p.signals))) {
      return verdictOf('scanner', ['burst.honeypot'], hit, reviseHumans(burst, ['burst.honeypot']));
    }
    const links = new Set<number>();
    for (const s of [signals, ...members.map((p) => p.signals)]) {
      if (s.kind === 'click' && s.linkIndex !== undefined && s.linkIndex >= 0) links.add(s.linkIndex);
    }
    if (links.size >= 2)
      return verdictOf('scanner', ['timing.burst'], hit, reviseHumans(burst, ['timing.burst']));

    const walk = linkWalk(signals, sources, opt);
    if (walk)
      return verdictOf('scanner', ['timing.link_walk'], hit, reviseHumans(walk, ['timing.link_walk']));

    if (followed) return verdictOf('scanner', ['context.scanner_network'], hit);

    // Cloud at delivery is a machine unless a mail client renders the pixel (scanners fetch with
    // browser agents; a person on a cloud desktop opening at once shows the client's agent).
    const mailClient = uaf.mailClient;
    if (category === 'cloud' && atDelivery && !(signals.kind === 'open' && mailClient)) {
      return machine(burst, hit, 'scanner', ['ip.cloud', 'timing.at_delivery']);
    }

    // The same link from a cloud and from another network within seconds: the cloud one is a
    // security service checking what the person clicks (it runs before or after the person).
    const twins = cloudTwins(hit, previous, opt.twinWindowMs);
    if (category === 'cloud' && twins.other) {
      return verdictOf('scanner', ['ip.cloud', 'context.cloud_twin'], hit);
    }

    const reasons = [mailClient ? 'ua.mail_client' : uaf.browser ? 'ua.browser' : 'ua.unrecognised'];
    if (category === 'cloud') reasons.push('ip.cloud');
    if (category === 'relay') reasons.push('ip.apple_relay');
    const revise =
      category !== 'cloud'
        ? twins.cloud
            .filter((p) => p.verdict === 'human')
            .map((p) => ({
              index: p.index,
              verdict: 'scanner' as const,
              reasons: ['ip.cloud', 'context.cloud_twin', 'context.revised'],
            }))
        : [];
    const out = verdictOf('human', reasons, hit, revise);
    const hold = holdOf(
      signals,
      hit,
      sources,
      previous,
      sinceSent <= opt.holdAfterSendMs,
      opt,
      context.linkCount,
    );
    if (hold) out.hold = hold;
    return out;
  };
}

/** The click's own link, or the landing action: what a time-of-click check fetches again. */
function target(s: HitSignals): string | null {
  if (s.kind === 'click' && s.linkIndex !== undefined && s.linkIndex >= 0) return `c${s.linkIndex}`;
  if (s.kind === 'landing') return `l${s.action ?? 'visit'}`;
  return null;
}

/**
 * Earlier hits of the same target within the twin window: those from a cloud (for a non-cloud
 * hit, to revise) and whether one came from a network that is neither the hit's nor a cloud.
 */
function cloudTwins(
  hit: Hit,
  previous: HitContext['previous'],
  windowMs: number,
): { cloud: { index: number; verdict: Verdict }[]; other: boolean } {
  const own = target(hit.signals);
  const out: { cloud: { index: number; verdict: Verdict }[]; other: boolean } = { cloud: [], other: false };
  if (own === null) return out;
  const at = hit.signals.at.getTime();
  for (let index = previous.length - 1; index >= 0; index--) {
    const p = previous[index];
    if (!p) continue;
    const t = p.signals.at.getTime();
    if (t > at) continue;
    if (at - t > windowMs) continue;
    if (target(p.signals) !== own) continue;
    const d = describe(p.signals);
    if (sameNetwork(d, hit)) continue;
    if (d.range?.category === 'cloud') out.cloud.push({ index, verdict: p.verdict });
    else out.other = true;
  }
  return out;
}

/**
 * The source's clicks, ending with this one, walking the links in document order from the first
 * (0, 1, …, k) with gaps up to `longGapMs`, newest first; `complete` when the walk reached
 * link 0. A walk of two clicks needs gaps up to `shortGapMs` to be a crawler, of three or more
 * the long gaps do (a sandbox loading each page in a browser).
 */
function walkBack(
  signals: HitSignals,
  sources: readonly Earlier[],
  longGapMs: number,
): { walk: Earlier[]; complete: boolean; maxGap: number } {
  const walk: Earlier[] = [];
  let maxGap = 0;
  if (signals.kind !== 'click' || signals.linkIndex === undefined || signals.linkIndex < 1)
    return { walk, complete: false, maxGap };
  let want = signals.linkIndex - 1;
  let t = signals.at.getTime();
  // sources are sorted newest first
  for (const p of sources) {
    const s = p.signals;
    if (s.kind !== 'click') continue;
    const gap = t - s.at.getTime();
    if (gap > longGapMs || s.linkIndex !== want) break;
    walk.push(p);
    maxGap = Math.max(maxGap, gap);
    t = s.at.getTime();
    if (want === 0) return { walk, complete: true, maxGap };
    want--;
  }
  return { walk, complete: false, maxGap };
}

function linkWalk(
  signals: HitSignals,
  sources: readonly Earlier[],
  opt: ClassifierOptions,
): Earlier[] | null {
  const w = walkBack(signals, sources, opt.slowWalkGapMs);
  if (!w.complete) return null;
  if (w.walk.length >= 2 || w.maxGap <= opt.walkGapMs) return w.walk;
  return null;
}

/**
 * How long a person's verdict should wait before it notifies, and why: only while a hit still to
 * come could overturn it, and never longer than HOLD_CAP_MS.
 */
function holdOf(
  signals: HitSignals,
  hit: Hit,
  sources: readonly Earlier[],
  previous: HitContext['previous'],
  soonAfterSend: boolean,
  opt: ClassifierOptions,
  linkCount: number,
): Hold | undefined {
  const at = signals.at.getTime();
  const reasons: string[] = [];
  let ms = 0;
  const add = (reason: string, wait: number): void => {
    reasons.push(reason);
    ms = Math.max(ms, wait + opt.holdMarginMs);
  };
  // a gateway's burst starts at delivery: the next link within the gap would complete it
  if (soonAfterSend) add('hold.delivery', opt.burstGapMs);
  // another hit of the message just before: this one may be the second of a burst
  const last = previous[previous.length - 1];
  if (last && at - last.signals.at.getTime() <= opt.burstGapMs) add('hold.after_hit', opt.burstGapMs);
  // a cloud: a time-of-click check of the same link from another network may follow
  if (hit.range?.category === 'cloud') add('hold.cloud', opt.twinWindowMs);
  // the links in document order so far (link 0 clicked first by a source, or the next link of
  // a walk from it): a crawler's next link would come within the slow walk's gap — unless the
  // same network opened the mail as a person before (crawlers do not read mail)
  const next = signals.kind === 'click' ? (signals.linkIndex ?? -1) + 1 : 0;
  const walking =
    signals.kind === 'click' &&
    next < linkCount &&
    (signals.linkIndex === 0
      ? !sources.some((p) => p.signals.kind === 'click')
      : walkBack(signals, sources, opt.slowWalkGapMs).complete);
  if (
    walking &&
    !previous.some(
      (p) => p.signals.kind === 'open' && p.verdict === 'human' && sameNetwork(describe(p.signals), hit),
    )
  )
    add('hold.link_order', opt.slowWalkGapMs);
  if (reasons.length === 0) return undefined;
  return { ms: Math.min(ms, HOLD_CAP_MS), reasons };
}
