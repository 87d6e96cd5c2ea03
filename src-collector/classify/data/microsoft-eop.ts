import type { RangeSource } from './types';

/**
 * Exchange Online Protection / Defender for Office 365. Safe Links and the detonation of linked
 * pages run on EOP's egress, which is the range set Microsoft publishes for Exchange Online mail
 * flow (endpoint list ids 9/10, also the spf.protection.outlook.com record). 40.94.0.0/16 is a
 * Microsoft block that Defender for Office 365 detonation egresses from (it sits inside Microsoft's
 * 40.64.0.0/10 allocation, listed as Azure in azure.ts; listing it here makes it the more specific).
 */
export const microsoftEop: RangeSource = {
  owner: 'microsoft',
  category: 'mail_security',
  source:
    'https://learn.microsoft.com/en-us/microsoft-365/enterprise/urls-and-ip-address-ranges (https://endpoints.office.com/endpoints/worldwide, ids 9 and 10)',
  asOf: '2025-02-28',
  note: 'EOP / Safe Links egress.',
  prefixes: [
    '40.92.0.0/15',
    '40.94.0.0/16',
    '40.107.0.0/16',
    '52.100.0.0/14',
    '104.47.0.0/17',
    '2a01:111:f400::/48',
    '2a01:111:f403::/48',
  ],
};

/**
 * Exchange Online Protection in Microsoft's sovereign instances (GCC High / DoD), whose mail flow
 * and Safe Links egress are published in their own endpoint lists. Same owner: one provider's
 * fleet is one network for bursts.
 */
export const microsoftEopGov: RangeSource = {
  owner: 'microsoft',
  category: 'mail_security',
  source:
    'https://endpoints.office.com/endpoints/USGOVGCCHigh and /USGOVDoD (https://learn.microsoft.com/en-us/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints)',
  asOf: '2025-02-28',
  note: 'EOP egress of the US government instances.',
  prefixes: ['23.103.132.0/22', '23.103.136.0/21', '23.103.198.0/23', '23.103.200.0/22', '52.127.0.0/16'],
};
