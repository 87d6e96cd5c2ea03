import type { RangeSource } from './types';

/**
 * Yahoo Mail (also AOL Mail) loads images through YahooMailProxy from Yahoo's own networks
 * (AS36646/AS26101). Listed: the Yahoo-registered blocks the proxy and mail fleet use.
 */
export const yahoo: RangeSource = {
  owner: 'yahoo',
  category: 'mail_proxy',
  source: 'https://help.yahoo.com/kb/SLN28749.html ; https://whois.arin.net/rest/org/YAOO',
  asOf: '2025-01-20',
  note: 'Yahoo-registered networks of the mail fleet and image proxy.',
  prefixes: [
    '66.163.160.0/19',
    '66.196.64.0/18',
    '67.195.0.0/16',
    '68.180.128.0/17',
    '74.6.0.0/16',
    '98.136.0.0/14',
    '106.10.128.0/17',
    '124.108.96.0/19',
    '2001:4998::/32',
  ],
};
