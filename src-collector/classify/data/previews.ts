import type { RangeSource } from './types';

/** Meta's crawler (facebookexternalhit, used for Facebook, Messenger and Instagram links). */
export const meta: RangeSource = {
  owner: 'meta',
  category: 'preview',
  source:
    'https://developers.facebook.com/docs/sharing/webmasters/web-crawlers/ (whois -h whois.radb.net -- "-i origin AS32934")',
  asOf: '2025-01-10',
  note: 'AS32934 announcements.',
  prefixes: [
    '31.13.24.0/21',
    '31.13.64.0/18',
    '57.144.0.0/14',
    '66.220.144.0/20',
    '69.63.176.0/20',
    '69.171.224.0/19',
    '157.240.0.0/16',
    '173.252.64.0/18',
    '2a03:2880::/32',
  ],
};

/** Telegram's link-preview fetcher (TelegramBot). */
export const telegram: RangeSource = {
  owner: 'telegram',
  category: 'preview',
  source: 'https://core.telegram.org/resources/cidr.txt',
  asOf: '2025-01-10',
  note: 'Telegram published CIDR list.',
  prefixes: [
    '91.105.192.0/23',
    '91.108.4.0/22',
    '91.108.8.0/22',
    '91.108.12.0/22',
    '91.108.16.0/22',
    '91.108.20.0/22',
    '91.108.56.0/22',
    '149.154.160.0/20',
    '185.76.151.0/24',
    '2001:67c:4e8::/48',
    '2001:b28:f23c::/47',
    '2001:b28:f23f::/48',
    '2a0a:f280::/32',
  ],
};

/** X / Twitter (Twitterbot card fetcher). */
export const twitter: RangeSource = {
  owner: 'x',
  category: 'preview',
  source: 'https://developer.x.com/en/docs/x-for-websites/cards/guides/troubleshooting-cards (AS13414)',
  asOf: '2025-01-10',
  note: 'AS13414 announcements.',
  prefixes: ['69.195.160.0/19', '192.133.76.0/22', '199.16.156.0/22', '199.59.148.0/22', '199.96.56.0/21'],
};

/** LinkedIn (LinkedInBot). */
export const linkedin: RangeSource = {
  owner: 'linkedin',
  category: 'preview',
  source: 'https://www.linkedin.com/help/linkedin/answer/a1667239 (AS14413)',
  asOf: '2025-01-10',
  note: 'AS14413 announcements.',
  prefixes: ['108.174.0.0/20', '144.2.0.0/19', '185.63.144.0/22', '2620:109:c000::/40'],
};
