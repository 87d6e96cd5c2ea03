/**
 * What the load generator sends besides the path: the hits of a real mailing come from many
 * prospects through the operator's reverse proxy, each with a mail client's or a browser's agent.
 * Without this every hit came from 127.0.0.1, the address the bench registered its message from,
 * so the classifier judged them all as the sender's own ("self") and took its shortest way.
 *
 * The addresses are from 198.18.0.0/15, reserved for benchmarks (RFC 2544): one per /24, so no two
 * prospects share a network and no owner range of the classifier matches them.
 */
const AGENTS = [
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];

export const PROSPECTS = 509;

/** header sets the load generator rotates through, one per prospect */
export function prospectHeaders(): Record<string, string>[] {
  return Array.from({ length: PROSPECTS }, (_, i) => ({
    'User-Agent': AGENTS[i % AGENTS.length]!,
    'X-Forwarded-For': `198.${18 + (i >> 8)}.${i & 255}.${1 + ((i * 7) % 250)}`,
    Accept: 'image/avif,image/webp,image/png,image/*;q=0.8,*/*;q=0.5',
  }));
}

/** the proxy address a collector under test trusts for X-Forwarded-For, as behind nginx */
export const TRUSTED_PROXY = '127.0.0.1';
