import type { RangeSource } from './types';

/**
 * Apple's relay egress: iCloud Private Relay and Mail's "Hide IP Address" / Mail Privacy
 * Protection leave through Apple's CDN partners (Akamai, Cloudflare, Fastly), whose egress blocks
 * Apple publishes with city granularity. Here as the partners' covering relay blocks (the CSV has
 * some 250,000 rows, mostly IPv6 /64s inside these). Not a machine by itself: an open without a
 * mail client's agent through the relay is Mail Privacy Protection's fetch; a click or a page is a
 * person browsing through Private Relay. Written from the published list as known on the list
 * date (no network in the build environment); `npm run update:ranges` refreshes it.
 */
export const appleRelay: RangeSource = {
  owner: 'apple-relay',
  category: 'relay',
  source:
    'https://mask-api.icloud.com/egress-ip-ranges.csv (https://developer.apple.com/support/prepare-your-network-for-icloud-private-relay/)',
  asOf: '2025-01-15',
  note: 'Akamai, Cloudflare and Fastly relay egress blocks, aggregated.',
  prefixes: [
    // Akamai
    '172.224.0.0/14',
    '2a02:26f7::/32',
    // Cloudflare
    '104.28.0.0/16',
    '2a09:bac0::/29',
    // Fastly
    '146.75.0.0/16',
    '2a04:4e41::/32',
  ],
};
