/**
 * Labelled scenarios for the families of issue 21, written from the signals, in the corpus
 * format: machine hits that look like a person when they arrive (the first link of a gateway's
 * burst after delivery, a crawler walking the links in order, a time-of-click check from a cloud
 * beside the person's click), the agent's office reading from another address of its block (and
 * an account whose office shares its network with prospects), hits from the broader range data
 * (every vendor's regions, Apple's relay egress), and people whose hits get held and must still
 * be notified in time (prompt readers, cloud desktops, link 0 first).
 *
 *   npx tsx test/classify/generate-hold-scenarios.ts [--seed 21] [--count 1000] > /tmp/hold.jsonl
 *   npm run eval:verdicts -- /tmp/hold.jsonl
 */
import { pathToFileURL } from 'node:url';
import { RANGE_SOURCES } from '../../src-collector/classify/data';
import type { Scenario } from '../../src-collector/classify/evaluate';
import { parseIp } from '../../src-collector/classify/ip';
import { rangeOf } from '../../src-collector/classify/owners';
import { seededRandom } from '../../src-shared/seeded-random';
import {
  BROWSERS,
  Gen,
  HOUR,
  MAIL_CLIENTS,
  MIN,
  SCANNER_BROWSER,
  SEC,
  SENDERS,
  UNLISTED_HOSTING,
  hit,
  laterToday,
  personReads,
  residential,
  type Ctx,
} from './generate-scenarios';

/** an address whose most specific published range is a public cloud (not a gateway nested in it) */
function CLOUDS(g: Gen): string {
  for (;;) {
    const ip = g.pick([
      g.ipOf('microsoft', 'cloud'),
      g.ipOf('aws'),
      g.ipOf('google-cloud'),
      g.ipOf('aws', undefined, true),
    ]);
    const parsed = parseIp(ip);
    if (parsed && rangeOf(parsed)?.category === 'cloud') return ip;
  }
}

const SECURITY_OWNERS = [
  ...new Set(
    RANGE_SOURCES.filter((s) => s.category === 'mail_security' && s.prefixes.length > 0).map((s) => s.owner),
  ),
];

const SAFARI_IPHONE = (g: Gen): string =>
  `Mozilla/5.0 (iPhone; CPU iPhone OS ${g.pick(['17_6', '18_1', '18_2'])} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${g.pick(['17.6', '18.1'])} Mobile/15E148 Safari/604.1`;
const APPLE_MAIL =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

/** another host of the sender's office block: IPv4 same /24, IPv6 same /56 but another /64 */
function officeNeighbour(g: Gen, sender: string): string {
  if (!sender.includes(':')) {
    const [a, b, c, d] = sender.split('.').map(Number);
    let host = g.int(1, 254);
    if (host === d) host = host === 254 ? 1 : host + 1;
    return `${a}.${b}.${c}.${host}`;
  }
  const groups = expandV6(sender);
  // the fourth group's high byte stays (bits 48–55), its low byte names another /64
  const g4 = parseInt(groups[3] ?? '0', 16);
  let low = g.int(0, 255);
  if (low === (g4 & 0xff)) low = (low + 1) & 0xff;
  const fourth = ((g4 & 0xff00) | low).toString(16);
  return `${groups.slice(0, 3).join(':')}:${fourth}:${g.int(1, 0xffff).toString(16)}::${g.int(1, 0xfff).toString(16)}`;
}

function expandV6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

const KINDS: Record<string, (c: Ctx & { shares?: boolean }) => void> = {
  late_gateway_burst(c) {
    // A gateway that queues or detonates follows every link 10–55 min after delivery, from a
    // host network no list names, with a browser's agent; the pixel first, sometimes.
    const { g } = c;
    c.links = Math.max(2, c.links);
    const net = g.pick(UNLISTED_HOSTING);
    const ua = SCANNER_BROWSER(g);
    let t = c.sent + g.int(10 * 60, 55 * 60) * SEC;
    if (g.chance(0.5)) {
      hit(c, t, 'scanner', 'open', g.ipIn(net), ua);
      t += g.int(100, 1500);
    }
    for (const link of g.shuffle([...Array(c.links).keys()])) {
      hit(c, t, 'scanner', 'click', g.ipIn(net), ua, { link });
      t += g.int(50, 1200);
    }
    personReads(c, t + g.int(20 * MIN, 10 * HOUR));
  },
  link_walk(c) {
    // A crawler pacing itself: the links in document order, a few seconds apart, any time.
    const { g } = c;
    c.links = Math.max(3, c.links);
    const net = g.pick(UNLISTED_HOSTING);
    const ua = SCANNER_BROWSER(g);
    const slow = g.chance(0.1);
    let t = c.sent + g.int(1 * MIN, 30 * HOUR);
    for (let link = 0; link < c.links; link++) {
      hit(c, t, 'scanner', 'click', g.ipIn(net), ua, { link });
      // most pace below 5 s; a tail paces slower than the link-walk rule looks (a known limit)
      t += slow ? g.int(5_200, 8_000) : g.int(2_000, 4_800);
    }
    personReads(c, t + g.int(20 * MIN, 10 * HOUR));
  },
  click_time_check(c) {
    // The person clicks a day later; the recipient's security service fetches the same link from
    // a cloud at the same moment, just before or just after the person's browser.
    const { g } = c;
    const ip = residential(g);
    const t = c.sent + g.int(2 * HOUR, 40 * HOUR);
    if (g.chance(0.6)) hit(c, t - g.int(20, 900) * SEC, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    const link = g.int(0, c.links - 1);
    hit(c, t, 'human', 'click', ip, g.pick(BROWSERS(g)), { link });
    // mostly within 3.5 s of the person; a tail is slower than the twin window (a known limit)
    const offset = (g.chance(0.9) ? g.int(200, 3_500) : g.int(5_500, 9_000)) * (g.chance(0.6) ? -1 : 1);
    hit(c, t + offset, 'scanner', 'click', CLOUDS(g), SCANNER_BROWSER(g), { link });
  },
  office_colleague(c) {
    // The agent or a colleague reads from another address of the office's block.
    const { g } = c;
    const ip = officeNeighbour(g, c.senderIp);
    let t = c.sent + g.int(1 * MIN, 48 * HOUR);
    const n = g.int(1, 3);
    for (let i = 0; i < n; i++) {
      const kind = g.pick(['open', 'landing', 'click'] as const);
      hit(
        c,
        t,
        'self',
        kind,
        ip,
        kind === 'open' ? g.pick(MAIL_CLIENTS(g)) : g.pick(BROWSERS(g)),
        kind === 'landing' ? { action: 'visit' } : kind === 'click' ? { link: g.int(0, c.links - 1) } : {},
      );
      t += g.int(30 * SEC, 6 * HOUR);
    }
    personReads(c, laterToday(c));
  },
  office_shared(c) {
    // A co-working office: the account says so; a prospect in the same block is a person, the
    // agent's own address is still the agent.
    const { g } = c;
    c.shares = true;
    const ip = officeNeighbour(g, c.senderIp);
    const t = c.sent + g.int(5 * MIN, 20 * HOUR);
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    if (g.chance(0.7))
      hit(c, t + g.int(10, 300) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
        link: g.int(0, c.links - 1),
      });
    if (g.chance(0.5))
      hit(c, t + g.int(1, 30) * MIN, 'self', 'landing', c.senderIp, g.pick(BROWSERS(g)), { action: 'visit' });
  },
  prompt_reader(c) {
    // Reads at once and follows the first link: every hit is held, none may be lost or late.
    const { g } = c;
    const ip = residential(g);
    let t = c.sent + g.int(30, 9 * 60) * SEC;
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    t += g.int(4, 60) * SEC;
    hit(c, t, 'human', 'click', ip, g.pick(BROWSERS(g)), { link: 0 });
    if (g.chance(0.5) && c.links > 1)
      hit(c, t + g.int(6, 60) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
        link: g.int(1, c.links - 1),
      });
  },
  cloud_desktop_reader(c) {
    // A person on a cloud desktop or VPN a day later: held for a time-of-click twin that never comes.
    const { g } = c;
    const ip = CLOUDS(g);
    const t = c.sent + g.int(2 * HOUR, 30 * HOUR);
    hit(c, t, 'human', 'open', ip, g.pick(MAIL_CLIENTS(g)));
    hit(c, t + g.int(10, 200) * SEC, 'human', 'click', ip, g.pick(BROWSERS(g)), {
      link: g.int(0, c.links - 1),
    });
  },
  gateway_regions(c) {
    // Any vendor's gateway in any region it runs, at delivery or within the hour, one or more
    // links: the published ranges alone must catch it.
    const { g } = c;
    const owner = g.pick(SECURITY_OWNERS);
    const ua = g.chance(0.2) ? '' : SCANNER_BROWSER(g);
    let t = c.sent + g.int(3, 60 * 60) * SEC;
    const n = g.int(1, c.links);
    for (const link of g.shuffle([...Array(c.links).keys()]).slice(0, n)) {
      hit(
        c,
        t,
        'scanner',
        'click',
        g.ipOf(owner, 'mail_security', g.chance(0.1) && owner === 'microsoft'),
        ua,
        {
          link,
        },
      );
      t += g.int(40, 2_500);
    }
    personReads(c, laterToday(c));
  },
  apple_relay(c) {
    // Mail Privacy Protection fetching through Apple's relay partners at delivery; the person
    // later reads in Apple Mail with "Hide IP Address" and clicks through Private Relay.
    const { g } = c;
    hit(
      c,
      c.sent + g.int(1, 120) * SEC,
      'prefetch',
      'open',
      g.ipOf('apple-relay', 'relay', g.chance(0.5)),
      'Mozilla/5.0',
    );
    const t = laterToday(c);
    if (g.chance(0.5)) hit(c, t, 'human', 'open', g.ipOf('apple-relay', 'relay', g.chance(0.5)), APPLE_MAIL);
    hit(
      c,
      t + g.int(20, 600) * SEC,
      'human',
      'click',
      g.ipOf('apple-relay', 'relay', g.chance(0.5)),
      SAFARI_IPHONE(g),
      {
        link: g.int(0, c.links - 1),
      },
    );
  },
};

const WEIGHTS: Record<keyof typeof KINDS, number> = {
  late_gateway_burst: 10,
  link_walk: 8,
  click_time_check: 12,
  office_colleague: 8,
  office_shared: 6,
  prompt_reader: 10,
  cloud_desktop_reader: 8,
  gateway_regions: 12,
  apple_relay: 8,
};

export const HOLD_KINDS = Object.keys(WEIGHTS);

export function generateHoldScenarios(seed: number, count: number): Scenario[] {
  const g = new Gen(seededRandom(seed));
  const total = HOLD_KINDS.reduce((n, k) => n + (WEIGHTS[k] ?? 0), 0);
  const out: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    let x = g.r() * total;
    let kind = HOLD_KINDS[0] ?? 'prompt_reader';
    for (const k of HOLD_KINDS) {
      x -= WEIGHTS[k] ?? 0;
      if (x < 0) {
        kind = k;
        break;
      }
    }
    const sent = Date.UTC(2026, 10, g.int(1, 28), g.int(6, 18), g.int(0, 59), 0);
    const sender = g.ipIn(g.pick(SENDERS));
    const c: Ctx & { shares?: boolean } = { g, sent, links: g.int(1, 6), senderIp: sender, hits: [] };
    KINDS[kind]?.(c);
    c.hits.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    out.push({
      id: `h${seed}-${i}`,
      kind,
      sentAt: new Date(sent).toISOString(),
      links: c.links,
      sender: c.shares ? { ips: [sender], sharesNetwork: true } : { ips: [sender] },
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
  for (const s of generateHoldScenarios(arg('--seed', 21), arg('--count', 1000)))
    process.stdout.write(`${JSON.stringify(s)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli(process.argv.slice(2));
