import { parse as parseHtml } from 'parse5';
import { z } from 'zod';
import { parseCidr } from '../ip';

/**
 * Parsers of the published range formats (issue 21). Each takes the body of a list and returns
 * its CIDRs, or throws an Error saying what is wrong with the body: a list whose format changed
 * must fail loudly and leave the data file alone, never write an empty or half list.
 */

const AwsRanges = z.object({
  createDate: z.string(),
  prefixes: z.array(z.object({ ip_prefix: z.string(), service: z.string(), region: z.string() })),
  ipv6_prefixes: z.array(z.object({ ipv6_prefix: z.string(), service: z.string(), region: z.string() })),
});

/** ip-ranges.amazonaws.com/ip-ranges.json: the EC2 blocks of every region */
export function parseAws(body: string): string[] {
  const j = AwsRanges.parse(JSON.parse(body));
  return [
    ...j.prefixes.filter((p) => p.service === 'EC2').map((p) => p.ip_prefix),
    ...j.ipv6_prefixes.filter((p) => p.service === 'EC2').map((p) => p.ipv6_prefix),
  ];
}

const GoogleRanges = z.object({
  creationTime: z.string(),
  prefixes: z.array(z.object({ ipv4Prefix: z.string().optional(), ipv6Prefix: z.string().optional() })),
});

/** www.gstatic.com/ipranges/cloud.json (and goog.json): every prefix */
export function parseGoogle(body: string): string[] {
  const j = GoogleRanges.parse(JSON.parse(body));
  return j.prefixes.flatMap((p) => [p.ipv4Prefix, p.ipv6Prefix].filter((x): x is string => x !== undefined));
}

const M365Endpoints = z.array(
  z.object({
    id: z.number(),
    serviceArea: z.string(),
    ips: z.array(z.string()).optional(),
    tcpPorts: z.string().optional(),
  }),
);

/**
 * endpoints.office.com/endpoints/<instance>: Exchange Online's mail-flow sets (TCP 25), the
 * addresses EOP receives and relays from and Safe Links fetches from.
 */
export function parseM365Eop(body: string): string[] {
  const j = M365Endpoints.parse(JSON.parse(body));
  return j
    .filter((e) => e.serviceArea === 'Exchange' && (e.tcpPorts ?? '').split(',').includes('25'))
    .flatMap((e) => e.ips ?? []);
}

const ServiceTags = z.object({
  values: z.array(
    z.object({ name: z.string(), properties: z.object({ addressPrefixes: z.array(z.string()) }) }),
  ),
});

/** Azure's weekly ServiceTags_Public_*.json: the AzureCloud tag */
export function parseAzureServiceTags(body: string): string[] {
  const j = ServiceTags.parse(JSON.parse(body));
  const tag = j.values.find((v) => v.name === 'AzureCloud');
  if (!tag) throw new Error('no AzureCloud service tag in the file');
  return tag.properties.addressPrefixes;
}

/** the weekly JSON's address on its download page (the page changes the link every week) */
export function azureDownloadLink(html: string): string {
  const found = textAndLinks(html).links.find((href) => /ServiceTags_Public_\d+\.json$/.test(href));
  if (!found) throw new Error('no ServiceTags_Public_*.json link on the download page');
  return found;
}

/**
 * Apple's egress-ip-ranges.csv: `prefix,country,region,city,` a row. Aggregated to the covering
 * IPv4 /24 and IPv6 /40 (the list has some 250,000 rows, mostly /64s of a few provider blocks).
 */
export function parseAppleEgressCsv(body: string): string[] {
  const out = new Set<string>();
  for (const line of body.split('\n')) {
    const cell = line.split(',')[0]?.trim();
    if (!cell) continue;
    const c = parseCidr(cell);
    if (!c) throw new Error(`not a CIDR in the first column: ${cell.slice(0, 60)}`);
    out.add(c.v === 4 ? coverV4(cell, 24) : coverV6(cell, 40));
  }
  return [...out];
}

/** a plain list, one CIDR a line (Telegram's cidr.txt); `#` starts a comment */
export function parseCidrLines(body: string): string[] {
  const out: string[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    if (!parseCidr(line)) throw new Error(`not a CIDR: ${line.slice(0, 60)}`);
    out.push(line);
  }
  return out;
}

// Documentation, private and shared ranges: a vendor's help page uses them in examples.
const NOT_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
];

/**
 * A vendor's help page (Mimecast, Proofpoint, Barracuda, Sophos, Hornetsecurity, …): the CIDRs
 * in its text, parsed with a real HTML parser, without private and documentation ranges.
 */
export function parseHtmlCidrs(html: string): string[] {
  const { text } = textAndLinks(html);
  const out = new Set<string>();
  for (const m of text.matchAll(
    /(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\/\d{1,3}/gi,
  )) {
    const cidr = m[0].toLowerCase();
    const c = parseCidr(cidr);
    if (!c) continue;
    if (NOT_PUBLIC.some((p) => within(cidr, p))) continue;
    out.add(cidr);
  }
  if (out.size === 0) throw new Error('no public CIDR on the page (has its layout changed?)');
  return [...out];
}

/** whether `inner` lies inside `outer` */
export function within(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (!a || !b || a.v !== b.v) return false;
  return cmp(a.start, b.start) >= 0 && cmp(a.end, b.end) <= 0;
}

/** Duplicates and blocks inside another block of the list dropped; sorted. */
export function collapse(prefixes: readonly string[]): string[] {
  const parsed = [...new Set(prefixes.map((p) => p.trim().toLowerCase()))]
    .map((p) => ({ p, c: parseCidr(p) }))
    .filter((x): x is { p: string; c: NonNullable<ReturnType<typeof parseCidr>> } => x.c !== null)
    .sort((x, y) => x.c.v - y.c.v || cmp(x.c.start, y.c.start) || cmp(y.c.end, x.c.end));
  const out: string[] = [];
  let last: (typeof parsed)[number] | undefined;
  for (const x of parsed) {
    if (last && last.c.v === x.c.v && cmp(x.c.end, last.c.end) <= 0) continue;
    out.push(x.p);
    last = x;
  }
  return out;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function coverV4(cidr: string, bits: number): string {
  const [addr = '', len = '32'] = cidr.split('/');
  if (Number(len) <= bits) return cidr;
  const o = addr.split('.').map(Number);
  const n = (((o[0] ?? 0) << 24) | ((o[1] ?? 0) << 16) | ((o[2] ?? 0) << 8) | (o[3] ?? 0)) >>> 0;
  const masked = bits === 0 ? 0 : (n & (~0 << (32 - bits))) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.')}/${bits}`;
}

function coverV6(cidr: string, bits: number): string {
  const c = parseCidr(cidr);
  const [, len = '128'] = cidr.split('/');
  if (!c || c.v !== 6 || Number(len) <= bits) return cidr;
  const words = [...c.start];
  for (let i = 0; i < 4; i++) {
    const keep = Math.max(0, Math.min(32, bits - 32 * i));
    const mask = keep === 0 ? 0 : keep === 32 ? 0xffffffff : (~0 << (32 - keep)) >>> 0;
    words[i] = ((words[i] ?? 0) & mask) >>> 0;
  }
  const groups = words.flatMap((w) => [(w >>> 16).toString(16), (w & 0xffff).toString(16)]);
  return `${compressV6(groups)}/${bits}`;
}

/** RFC 5952 text: the longest run of two or more zero groups becomes `::` */
function compressV6(groups: readonly string[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  if (best.len < 2) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

interface HtmlNode {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: HtmlNode[];
  content?: HtmlNode;
}

function textAndLinks(html: string): { text: string; links: string[] } {
  const doc = parseHtml(html) as unknown as HtmlNode;
  const text: string[] = [];
  const links: string[] = [];
  const walk = (n: HtmlNode): void => {
    if (n.nodeName === 'script' || n.nodeName === 'style') {
      // Microsoft's download page keeps the file's address in a script's JSON
      if (n.nodeName === 'script')
        for (const c of n.childNodes ?? [])
          for (const m of (c.value ?? '').matchAll(/https:\/\/[^"'\s]+\.json/g)) links.push(m[0]);
      return;
    }
    if (n.nodeName === '#text' && n.value) text.push(n.value);
    if (n.nodeName === 'a') {
      const href = n.attrs?.find((a) => a.name === 'href')?.value;
      if (href) links.push(href);
    }
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(doc);
  return { text: text.join(' '), links };
}
