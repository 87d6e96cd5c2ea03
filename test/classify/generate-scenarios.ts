/**
 * Fresh synthetic scenarios of every kind the corpus has (and a few it lacks: the honeypot,
 * scanners on unlisted hosting networks, other gateway vendors, IPv6, prefetch header variants),
 * with IPs drawn inside the published ranges and real-world user agents and timings. Seeded, so a
 * test run is deterministic. Writes JSONL in the corpus format:
 *
 *   npx tsx test/classify/generate-scenarios.ts [--seed 7] [--count 400] > /tmp/generated.jsonl
 */
import { pathToFileURL } from 'node:url';
import type { Verdict } from '../../src-shared/events';
import { RANGE_SOURCES } from '../../src-collector/classify/data';
import type { Scenario, ScenarioHit } from '../../src-collector/classify/evaluate';
import { seededRandom } from '../../src-shared/seeded-random';
import { formatIp, parseCidr } from '../../src-collector/classify/ip';

type Rand = () => number;

export class Gen {
  constructor(readonly r: Rand) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.r() * xs.length)];
    if (x === undefined) throw new Error('pick from empty list');
    return x;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    return xs
      .map((x) => ({ x, k: this.r() }))
      .sort((a, b) => a.k - b.k)
      .map((e) => e.x);
  }
  /** a random address inside the CIDR */
  ipIn(cidr: string): string {
    const c = parseCidr(cidr);
    if (!c) throw new Error(`bad CIDR ${cidr}`);
    if (c.v === 4) {
      const s = c.start[0] ?? 0;
      const e = c.end[0] ?? 0;
      const size = e - s + 1;
      const n = size <= 2 ? s : s + 1 + Math.floor(this.r() * (size - 2));
      return formatIp({ v: 4, n });
    }
    const w: [number, number, number, number] = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      const lo = c.start[i] ?? 0;
      const hi = c.end[i] ?? 0;
      w[i] = (lo + Math.floor(this.r() * (hi - lo + 1))) >>> 0;
    }
    return formatIp({ v: 6, w });
  }
  ipOf(owner: string, category?: string, v6 = false): string {
    const prefixes = RANGE_SOURCES.filter((s) => s.owner === owner && (!category || s.category === category))
      .flatMap((s) => s.prefixes)
      .filter((p) => p.includes(':') === v6);
    return this.ipIn(this.pick(prefixes));
  }
}

// German access networks (Telekom, Vodafone, O2, 1&1) — none of them in the range data.
export const RESIDENTIAL_V4 = [
  '79.192.0.0/10',
  '84.128.0.0/10',
  '87.128.0.0/10',
  '91.0.0.0/10',
  '93.192.0.0/10',
  '188.96.0.0/12',
  '77.0.0.0/11',
  '95.112.0.0/12',
];
export const RESIDENTIAL_V6 = ['2003::/19', '2a02:8100::/27', '2a02:3030::/32', '2a01:598::/32'];
// Hosting networks absent from the range data (Hetzner, OVH, DigitalOcean, Contabo).
export const UNLISTED_HOSTING = [
  '88.198.0.0/16',
  '78.46.0.0/15',
  '5.9.0.0/16',
  '51.68.0.0/16',
  '145.239.0.0/16',
  '167.99.0.0/16',
  '159.89.0.0/16',
  '161.97.0.0/16',
];
export const SENDERS = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '2001:db8::/32'];

const chromeV = (g: Gen): string => `${g.int(120, 133)}.0.${g.int(6000, 6999)}.${g.int(10, 200)}`;
export const MAIL_CLIENTS = (g: Gen): string[] => [
  `Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.${g.int(16000, 18300)}; Pro)`,
  'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  `Mozilla/5.0 (X11; Linux x86_64; rv:${g.pick(['115.0', '128.0'])}) Gecko/20100101 Thunderbird/${g.pick(['115.16.0', '128.5.0', '128.6.1'])}`,
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.${g.int(1, 9)}.0`,
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  `Mozilla/5.0 (iPhone; CPU iPhone OS ${g.pick(['17_6', '18_1', '18_2', '16_7'])} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`,
  `Mozilla/5.0 (iPad; CPU OS ${g.pick(['17_6', '18_1'])} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`,
  `Mozilla/5.0 (Linux; Android ${g.int(11, 15)}; ${g.pick(['SM-S911B', 'SM-A546B', 'Pixel 8', 'Pixel 7a'])} Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${chromeV(g)} Mobile Safari/537.36`,
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36 Edg/${g.int(120, 133)}.0.0.0`,
];
export const BROWSERS = (g: Gen): string[] => [
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36`,
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36`,
  `Mozilla/5.0 (X11; Linux x86_64; rv:${g.int(115, 133)}.0) Gecko/20100101 Firefox/${g.int(115, 133)}.0`,
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${g.int(115, 133)}.0) Gecko/20100101 Firefox/${g.int(115, 133)}.0`,
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  `Mozilla/5.0 (iPhone; CPU iPhone OS ${g.pick(['17_6', '18_1'])} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${g.pick(['17.6', '18.1'])} Mobile/15E148 Safari/604.1`,
  `Mozilla/5.0 (Linux; Android ${g.int(11, 15)}; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Mobile Safari/537.36`,
  `Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${g.int(23, 27)}.0 Chrome/${g.int(115, 125)}.0.0.0 Mobile Safari/537.36`,
  `Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/${g.int(120, 133)}.0.${g.int(6000, 6999)}.${g.int(10, 99)} Mobile/15E148 Safari/604.1`,
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36 OPR/${g.int(100, 115)}.0.0.0`,
];
export const SCANNER_BROWSER = (g: Gen): string =>
  g.pick([
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(120, 133)}.0.0.0 Safari/537.36 Edg/${g.int(120, 133)}.0.0.0`,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0',
  ]);
const SCRIPTS = (g: Gen): string[] => [
  `curl/${g.pick(['7.88.1', '8.5.0', '8.10.1'])}`,
  `Go-http-client/${g.pick(['1.1', '2.0'])}`,
  `python-requests/${g.pick(['2.28.2', '2.31.0', '2.32.3'])}`,
  'Python-urllib/3.11',
  'Python/3.12 aiohttp/3.9.5',
  `Java/17.0.${g.int(1, 12)}`,
  'okhttp/4.12.0',
  'Wget/1.21.4',
  'axios/1.7.2',
  'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  '',
];
const PREVIEWS: { ua: string; owner?: string; category?: string }[] = [
  { ua: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', owner: 'meta' },
  { ua: 'Twitterbot/1.0', owner: 'x' },
  {
    ua: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    owner: 'linkedin',
  },
  { ua: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', owner: 'aws' },
  { ua: 'Slackbot 1.0 (+https://api.slack.com/robots)', owner: 'aws' },
  { ua: 'WhatsApp/2.23.20.0' },
  { ua: 'WhatsApp/2.2413.51 A' },
  { ua: 'TelegramBot (like TwitterBot)', owner: 'telegram' },
  { ua: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', owner: 'google-cloud' },
  {
    ua: 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
    owner: 'microsoft',
    category: 'cloud',
  },
  {
    ua: 'Mozilla/5.0 (compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview)',
    owner: 'microsoft',
    category: 'cloud',
  },
  { ua: 'Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)', owner: 'aws' },
  { ua: 'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)', owner: 'aws' },
  { ua: 'Mastodon/4.2.10 (http.rb/5.1.1; +https://mastodon.social/)' },
  {
    ua: 'Mozilla/5.0 (compatible; Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots)',
    owner: 'google-cloud',
  },
];
const GMAIL_FETCH_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246';
export const GMAIL_PROXY_UA =
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO_PROXY_UA = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';

export interface Ctx {
  g: Gen;
  sent: number;
  links: number;
  senderIp: string;
  hits: ScenarioHit[];
}

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export function hit(
  c: Ctx,
  at: number,
  label: Verdict,
  kind: ScenarioHit['kind'],
  ip: string,
  ua: string,
  extra: Partial<Pick<ScenarioHit, 'method' | 'headers' | 'link' | 'action' | 'honeypot'>> = {},
): void {
  c.hits.push({
    at: new Date(at).toISOString(),
    kind,
    method: extra.method ?? 'GET',
    ip,
    ua,
    headers: extra.headers ?? {},
    label,
    ...(extra.link !== undefined ? { link: extra.link } : {}),
    ...(extra.action !== undefined ? { action: extra.action } : {}),
    ...(extra.honeypot !== undefined ? { honeypot: extra.honeypot } : {}),
  });
}

export const residential = (g: Gen): string =>
  g.chance(0.25) ? g.ipIn(g.pick(RESIDENTIAL_V6)) : g.ipIn(g.pick(RESIDENTIAL_V4));

/** The recipient reading later: opens in a mail client, maybe a click in the browser. */
export function personReads(c: Ctx, from: number, opts: { open?: boolean; click?: boolean } = {}): void {
  const { g } = c;
  const ip = residential(g);
  let t = from;
  if (opts.open !== false) {
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    t += g.int(20, 600) * SEC;
  }
  if (opts.click !== false && g.chance(0.8)) {
    hit(c, t, 'human', 'click', ip, g.pick(BROWSERS(g)), { link: g.int(0, c.links - 1) });
    // Sometimes a second link a little later: a person, not a burst.
    if (g.chance(0.3) && c.links > 1)
      hit(c, t + g.int(6, 90) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
        link: g.int(0, c.links - 1),
      });
  }
}

export const laterToday = (c: Ctx): number => c.sent + c.g.int(20 * MIN, 14 * HOUR);

const KINDS: Record<string, (c: Ctx) => void> = {
  human_only(c) {
    const { g } = c;
    const n = g.int(1, 5);
    const ips = [residential(g), residential(g)];
    const ua = g.pick(MAIL_CLIENTS(g));
    let t = c.sent + g.int(5 * MIN, 20 * HOUR);
    for (let i = 0; i < n; i++) {
      hit(c, t, 'human', 'open', g.pick(ips), ua);
      t += g.int(10 * MIN, 30 * HOUR);
    }
    if (g.chance(0.5)) personReads(c, t, { open: false });
  },
  fast_human(c) {
    // Reads at once: open within a minute, click seconds later.
    const { g } = c;
    const ip = residential(g);
    const t = c.sent + g.int(15, 90) * SEC;
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    hit(c, t + g.int(4, 40) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
      link: g.int(0, c.links - 1),
    });
  },
  vpn_human(c) {
    // A person behind a cloud-hosted VPN or on a cloud desktop (Windows 365), sometimes at once.
    const { g } = c;
    const ip = g.chance(0.5) ? g.ipOf('microsoft', 'cloud') : g.ipOf(g.pick(['aws', 'google-cloud']));
    const t = c.sent + (g.chance(0.3) ? g.int(2 * MIN, 60 * MIN) : g.int(1 * HOUR, 20 * HOUR));
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    hit(c, t + g.int(30, 300) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
      link: g.int(0, c.links - 1),
    });
  },
  apple_mpp(c) {
    const { g } = c;
    hit(c, c.sent + g.int(1, 90) * SEC, 'prefetch', 'open', g.ipOf('apple', 'mail_privacy'), 'Mozilla/5.0');
    if (g.chance(0.3))
      hit(
        c,
        c.sent + g.int(2 * HOUR, 20 * HOUR),
        'prefetch',
        'open',
        g.ipOf('apple', 'mail_privacy'),
        'Mozilla/5.0',
      );
    if (g.chance(0.8)) personReads(c, laterToday(c), { open: false });
  },
  gmail(c) {
    const { g } = c;
    hit(c, c.sent + g.int(1, 12) * SEC, 'prefetch', 'open', g.ipOf('google', 'mail_proxy'), GMAIL_FETCH_UA);
    let t = laterToday(c);
    const opens = g.int(1, 3);
    for (let i = 0; i < opens; i++) {
      hit(c, t, 'proxy', 'open', g.ipOf('google', 'mail_proxy', g.chance(0.3)), GMAIL_PROXY_UA);
      t += g.int(1 * MIN, 10 * HOUR);
    }
    if (g.chance(0.7)) personReads(c, t, { open: false });
  },
  yahoo(c) {
    const { g } = c;
    const t = c.sent + g.int(10, 50) * SEC;
    hit(c, t, 'proxy', 'open', g.ipOf('yahoo'), YAHOO_PROXY_UA);
    if (g.chance(0.8))
      hit(c, t + g.int(8, 60) * SEC, 'human', 'click', residential(g), g.pick(BROWSERS(g)), {
        link: g.int(0, c.links - 1),
      });
  },
  safe_links(c) {
    const { g } = c;
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(2, 60) * SEC;
    for (const link of g.shuffle([...Array(c.links).keys()])) {
      hit(c, t, 'scanner', 'click', g.ipOf('microsoft', 'mail_security', g.chance(0.1)), ua, { link });
      t += g.int(20, 700);
    }
    personReads(c, laterToday(c));
  },
  gateway_pairs(c) {
    // Proofpoint / Mimecast style: GET and HEAD per link from the vendor's fleet.
    const { g } = c;
    const owner = g.pick(['proofpoint', 'mimecast']);
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(5, 12 * 60) * SEC;
    for (let link = 0; link < c.links; link++) {
      hit(c, t, 'scanner', 'click', g.ipOf(owner), '', { link, method: 'HEAD' });
      hit(c, t + g.int(20, 150), 'scanner', 'click', g.ipOf(owner), ua, { link });
      t += g.int(100, 400);
    }
    personReads(c, laterToday(c));
  },
  other_gateway(c) {
    const { g } = c;
    const owner = g.pick(['barracuda', 'cisco', 'broadcom', 'hornetsecurity', 'trendmicro']);
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(5, 5 * 60) * SEC;
    const n = g.int(1, c.links);
    for (let link = 0; link < n; link++) {
      hit(c, t, 'scanner', 'click', g.ipOf(owner), ua, { link });
      t += g.int(50, 900);
    }
    personReads(c, laterToday(c));
  },
  honeypot(c) {
    // An unknown scanner on an unlisted hosting network follows every link, the hidden one too.
    const { g } = c;
    const net = g.pick(UNLISTED_HOSTING);
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(3, 20 * 60) * SEC;
    const order = g.shuffle([...Array(c.links).keys(), -1]);
    for (const link of order) {
      hit(c, t, 'scanner', 'click', g.ipIn(net), ua, link === -1 ? { link, honeypot: true } : { link });
      t += g.int(30, 600);
    }
    personReads(c, laterToday(c));
  },
  unlisted_burst(c) {
    // The same without a honeypot (older desktop build): only the burst gives it away.
    const { g } = c;
    const net = g.pick(UNLISTED_HOSTING);
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(3, 30 * 60) * SEC;
    for (const link of g.shuffle([...Array(c.links).keys()])) {
      hit(c, t, 'scanner', 'click', g.ipIn(net), ua, { link });
      t += g.int(30, 900);
    }
    personReads(c, laterToday(c));
  },
  scripts(c) {
    const { g } = c;
    let t = c.sent + g.int(1, 40) * SEC;
    const n = g.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = g.pick(['open', 'landing'] as const);
      hit(
        c,
        t,
        'scanner',
        kind,
        g.ipOf(g.pick(['aws', 'google-cloud'])),
        g.pick(SCRIPTS(g)),
        kind === 'landing' ? { action: 'visit' } : {},
      );
      t += g.int(1, 30) * SEC;
    }
    personReads(c, laterToday(c));
  },
  preview(c) {
    const { g } = c;
    const t = laterToday(c);
    hit(c, t, 'human', 'landing', residential(g), g.pick(BROWSERS(g)), { action: 'visit' });
    const p = g.pick(PREVIEWS);
    const ip = p.owner ? g.ipOf(p.owner, p.category) : residential(g);
    hit(c, t + g.int(30, 900) * SEC, 'preview', 'landing', ip, p.ua, { action: 'visit' });
    if (g.chance(0.8))
      hit(c, t + g.int(20, 90) * MIN, 'human', 'landing', residential(g), g.pick(BROWSERS(g)), {
        action: 'visit',
      });
  },
  self(c) {
    const { g } = c;
    if (g.chance(0.5))
      hit(c, c.sent + g.int(1, 60) * SEC, 'prefetch', 'open', g.ipOf('apple', 'mail_privacy'), 'Mozilla/5.0');
    // Over IPv6 the sender's machine rotates its interface id: same /64, different address.
    const selfIp = c.senderIp.includes(':')
      ? g.ipIn(`${c.senderIp.split(':').slice(0, 4).join(':')}::/64`)
      : c.senderIp;
    const kind = g.pick(['open', 'landing'] as const);
    hit(
      c,
      c.sent + g.int(10, 300) * SEC,
      'self',
      kind,
      selfIp,
      g.pick([...MAIL_CLIENTS(g), ...BROWSERS(g)]),
      kind === 'landing' ? { action: 'visit' } : {},
    );
    personReads(c, laterToday(c));
  },
  landing_prefetch(c) {
    const { g } = c;
    const ip = residential(g);
    const ua = g.pick(BROWSERS(g));
    const headers: Record<string, string> = g.pick<Record<string, string>>([
      { 'sec-purpose': 'prefetch;prerender' },
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;anonymous-client-ip' },
      { purpose: 'prefetch' },
      { 'x-moz': 'prefetch' },
    ]);
    let t = laterToday(c);
    hit(c, t, 'prefetch', 'landing', ip, ua, { headers, action: 'visit' });
    t += g.int(1, 8) * SEC;
    hit(c, t, 'human', 'landing', ip, ua, { action: 'visit' });
    for (const action of g
      .shuffle(['expose_download', 'document_downloaded', 'cancellation_policy_opened', 'unit_liked'])
      .slice(0, g.int(1, 3))) {
      t += g.int(20, 400) * SEC;
      hit(c, t, 'human', 'landing', ip, ua, { action });
    }
  },
};

/** Weights: roughly the corpus' mix, with the machine kinds it lacks added. */
const WEIGHTS: Record<keyof typeof KINDS, number> = {
  human_only: 12,
  fast_human: 4,
  vpn_human: 2,
  apple_mpp: 10,
  gmail: 8,
  yahoo: 6,
  safe_links: 8,
  gateway_pairs: 8,
  other_gateway: 6,
  honeypot: 6,
  unlisted_burst: 4,
  scripts: 8,
  preview: 8,
  self: 8,
  landing_prefetch: 6,
};

export function generateScenarios(seed: number, count: number): Scenario[] {
  const g = new Gen(seededRandom(seed));
  const kinds = Object.keys(WEIGHTS);
  const total = kinds.reduce((n, k) => n + (WEIGHTS[k] ?? 0), 0);
  const out: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    let x = g.r() * total;
    let kind = kinds[0] ?? 'human_only';
    for (const k of kinds) {
      x -= WEIGHTS[k] ?? 0;
      if (x < 0) {
        kind = k;
        break;
      }
    }
    const sent = Date.UTC(2026, 9, g.int(1, 28), g.int(6, 18), g.int(0, 59), 0);
    const sender = g.ipIn(g.pick(SENDERS));
    const c: Ctx = { g, sent, links: g.int(1, 6), senderIp: sender, hits: [] };
    KINDS[kind]?.(c);
    c.hits.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    out.push({
      id: `g${seed}-${i}`,
      kind,
      sentAt: new Date(sent).toISOString(),
      links: c.links,
      sender: { ips: [sender] },
      hits: c.hits,
    });
  }
  return out;
}

function cli(argv: string[]): void {
  const arg = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : NaN;
    return Number.isFinite(v) ? v : fallback;
  };
  for (const s of generateScenarios(arg('--seed', 7), arg('--count', 400)))
    process.stdout.write(`${JSON.stringify(s)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli(process.argv.slice(2));
