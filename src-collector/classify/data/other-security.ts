import type { RangeSource } from './types';

/** Broadcom / Symantec Email Security.cloud (MessageLabs). */
export const messagelabs: RangeSource = {
  owner: 'broadcom',
  category: 'mail_security',
  source: 'https://knowledge.broadcom.com/external/article/175492 (Email Security.cloud IP ranges)',
  asOf: '2025-01-10',
  note: 'Email Security.cloud (MessageLabs) infrastructure.',
  prefixes: [
    '67.219.240.0/20',
    '85.158.136.0/21',
    '117.120.16.0/21',
    '193.109.254.0/23',
    '194.106.220.0/23',
    '195.245.230.0/23',
    '216.82.240.0/20',
  ],
};

/** Hornetsecurity (common with German businesses), Advanced Threat Protection URL scanning. */
export const hornetsecurity: RangeSource = {
  owner: 'hornetsecurity',
  category: 'mail_security',
  source: 'https://support.hornetsecurity.com/hc/en-us/articles/18339436823953 (Hornetsecurity IP ranges)',
  asOf: '2025-01-10',
  note: 'Hornetsecurity filter networks (DE data centres; much German business mail passes here). Written from the published page as known on the list date; npm run update:ranges refreshes it.',
  prefixes: ['83.246.65.0/24', '94.100.128.0/20', '185.140.204.0/22'],
};

/** Trend Micro Email Security (hosted). */
export const trendMicro: RangeSource = {
  owner: 'trendmicro',
  category: 'mail_security',
  source:
    'https://success.trendmicro.com/en-US/solution/KA-0007436 (Trend Micro Email Security IP addresses)',
  asOf: '2025-01-10',
  note: 'Trend Micro Email Security networks.',
  prefixes: ['150.70.224.0/19'],
};

/**
 * Sophos Email (Sophos Central), which rewrites and time-of-click checks links. Sophos publishes
 * its delivery and scanning addresses per region (US, EU, AP, CA) on the page below; its entries
 * could not be reproduced reliably without the page, so the list starts empty and is filled by
 * `npm run update:ranges` where the page can be reached. Until then Sophos' scanners are caught
 * by the cloud, burst, link-walk and cloud-twin rules (they run in AWS regions).
 */
export const sophos: RangeSource = {
  owner: 'sophos',
  category: 'mail_security',
  source: 'https://support.sophos.com/support/s/article/KBA-000006603 (Sophos Email IP addresses per region)',
  asOf: '2025-01-10',
  note: 'Empty until refreshed from the published page (see comment).',
  prefixes: [],
};
