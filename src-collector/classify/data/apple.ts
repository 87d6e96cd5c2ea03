import type { RangeSource } from './types';

/**
 * Apple Mail Privacy Protection loads remote content through Apple-operated proxies when the
 * message is delivered, not when it is read. Apple states the fetches come from its own network;
 * 17.0.0.0/8 is Apple's ARIN allocation (NET-17-0-0-0-1), the IPv6 blocks are Apple's RIR
 * allocations. Private Relay egress (third-party CDNs) is deliberately not listed: browsing
 * through Private Relay is a person.
 */
export const apple: RangeSource = {
  owner: 'apple',
  category: 'mail_privacy',
  source: 'https://support.apple.com/en-us/102635 ; https://whois.arin.net/rest/net/NET-17-0-0-0-1',
  asOf: '2025-01-15',
  note: 'Apple-registered networks; MPP fetches originate here.',
  prefixes: ['17.0.0.0/8', '2620:149::/32', '2a01:b740::/32', '2403:300::/32'],
};
