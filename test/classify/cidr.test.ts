import { describe, expect, it } from 'vitest';
import { CidrTable } from '../../src-collector/classify/cidr';
import { seededRandom } from '../../src-shared/seeded-random';
import { formatIp, parseCidr, parseIp, sameHost } from '../../src-collector/classify/ip';
import { rangeOf } from '../../src-collector/classify/owners';

const ip = (s: string) => {
  const p = parseIp(s);
  if (!p) throw new Error(`unparsable ${s}`);
  return p;
};

describe('parseIp', () => {
  it('parses IPv4 and rejects malformed addresses', () => {
    expect(parseIp('0.0.0.0')).toEqual({ v: 4, n: 0 });
    expect(parseIp('255.255.255.255')).toEqual({ v: 4, n: 4294967295 });
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '', '1..2.3'])
      expect(parseIp(bad)).toBeNull();
  });
  it('parses IPv6 forms, treats IPv4-mapped as IPv4 and drops zone ids', () => {
    expect(parseIp('::')).toEqual({ v: 6, w: [0, 0, 0, 0] });
    expect(parseIp('::1')).toEqual({ v: 6, w: [0, 0, 0, 1] });
    expect(parseIp('2001:db8::ff00:42:8329')).toEqual(parseIp('2001:0db8:0000:0000:0000:ff00:0042:8329'));
    expect(parseIp('::ffff:192.0.2.1')).toEqual({ v: 4, n: 3221225985 });
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80::1'));
    expect(parseIp('[2001:db8::1]')).toEqual(parseIp('2001:db8::1'));
    for (const bad of ['2001:db8:::1', '1:2:3:4:5:6:7:8:9', '2001:db8::g', '1::2::3'])
      expect(parseIp(bad)).toBeNull();
    expect(formatIp(ip('2001:db8::1'))).toBe('2001:db8:0:0:0:0:0:1');
  });
  it('treats one IPv6 /64 as one host (privacy addresses rotate)', () => {
    expect(sameHost(ip('2001:db8:1:2::1'), ip('2001:db8:1:2:abcd::9'))).toBe(true);
    expect(sameHost(ip('2001:db8:1:2::1'), ip('2001:db8:1:3::1'))).toBe(false);
    expect(sameHost(ip('192.0.2.1'), ip('192.0.2.2'))).toBe(false);
  });
});

describe('CidrTable', () => {
  const table = new CidrTable([
    { cidr: '10.0.0.0/8', value: 'wide' },
    { cidr: '10.1.0.0/16', value: 'mid' },
    { cidr: '10.1.2.0/24', value: 'narrow' },
    { cidr: '10.1.3.0/24', value: 'sibling' },
    { cidr: '192.0.2.7/32', value: 'host' },
    { cidr: '2001:db8::/32', value: 'v6wide' },
    { cidr: '2001:db8:1::/48', value: 'v6narrow' },
    { cidr: '2001:db8:ffff:ffff::/64', value: 'v6edge' },
  ]);
  const at = (s: string) => table.lookup(ip(s));

  it('finds IPv4 edges of each range and nothing just outside', () => {
    expect(at('9.255.255.255')).toBeUndefined();
    expect(at('10.0.0.0')).toBe('wide');
    expect(at('10.255.255.255')).toBe('wide');
    expect(at('11.0.0.0')).toBeUndefined();
    expect(at('10.1.2.0')).toBe('narrow');
    expect(at('10.1.2.255')).toBe('narrow');
    expect(at('10.1.3.0')).toBe('sibling');
    // after a closed sibling the walk climbs to the enclosing range
    expect(at('10.1.4.0')).toBe('mid');
    expect(at('10.1.255.255')).toBe('mid');
    expect(at('10.2.0.0')).toBe('wide');
    expect(at('192.0.2.6')).toBeUndefined();
    expect(at('192.0.2.7')).toBe('host');
    expect(at('192.0.2.8')).toBeUndefined();
    expect(at('::ffff:10.1.2.3')).toBe('narrow');
  });

  it('finds IPv6 edges and the most specific block', () => {
    expect(at('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBeUndefined();
    expect(at('2001:db8::')).toBe('v6wide');
    expect(at('2001:db8:1::')).toBe('v6narrow');
    expect(at('2001:db8:1:ffff:ffff:ffff:ffff:ffff')).toBe('v6narrow');
    expect(at('2001:db8:2::')).toBe('v6wide');
    expect(at('2001:db8:ffff:ffff::1')).toBe('v6edge');
    expect(at('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('v6edge');
    expect(at('2001:db9::')).toBeUndefined();
  });

  it('agrees with a brute-force scan on random nested ranges', () => {
    const r = seededRandom(42);
    const cidrs: string[] = [];
    for (let i = 0; i < 300; i++) {
      const len = 8 + Math.floor(r() * 25);
      cidrs.push(`${formatIp({ v: 4, n: Math.floor(r() * 2 ** 32) })}/${len}`);
    }
    const t = new CidrTable(cidrs.map((cidr, i) => ({ cidr, value: i })));
    const parsed = cidrs.map((c) => parseCidr(c));
    for (let k = 0; k < 3000; k++) {
      // probe near range boundaries as well as at random
      const base = parsed[Math.floor(r() * parsed.length)];
      const n =
        k % 3 === 0
          ? Math.floor(r() * 2 ** 32)
          : Math.min(
              2 ** 32 - 1,
              Math.max(
                0,
                (k % 3 === 1 ? (base?.start[0] ?? 0) - 1 : (base?.end[0] ?? 0) + 1) + Math.floor(r() * 3) - 1,
              ),
            );
      let best: number | undefined;
      let bestLen = -1;
      parsed.forEach((p, i) => {
        if (p && (p.start[0] ?? 0) <= n && n <= (p.end[0] ?? 0) && p.prefix > bestLen) {
          best = i;
          bestLen = p.prefix;
        }
      });
      const got = t.lookup({ v: 4, n });
      expect(got === undefined ? undefined : parsed[got]?.prefix).toBe(
        best === undefined ? undefined : bestLen,
      );
    }
  });

  it('looks up the real range data quickly', () => {
    const probe = ip('52.101.237.234');
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) rangeOf(probe);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(rangeOf(probe)).toEqual({ owner: 'microsoft', category: 'mail_security' });
    // nested: EOP inside Azure, Google's mail netblock inside Google Cloud space
    expect(rangeOf(ip('40.95.0.1'))).toEqual({ owner: 'microsoft', category: 'cloud' });
    expect(rangeOf(ip('35.190.247.9'))?.category).toBe('mail_proxy');
    expect(rangeOf(ip('17.58.1.1'))?.owner).toBe('apple');
    expect(rangeOf(ip('2a00:1450:4001:81c::2004'))?.owner).toBe('google');
    expect(rangeOf(ip('2a01:111:f403:2009::626'))?.category).toBe('mail_security');
    expect(rangeOf(ip('87.212.194.59'))).toBeUndefined();
  });
});
