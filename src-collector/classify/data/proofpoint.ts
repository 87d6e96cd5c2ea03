import type { RangeSource } from './types';

/**
 * Proofpoint (Protection Server hosted / Essentials, URL Defense and TAP sandboxing).
 * From Proofpoint's published customer allow-list of its hosted data-centre networks.
 */
export const proofpoint: RangeSource = {
  owner: 'proofpoint',
  category: 'mail_security',
  source:
    'https://help.proofpoint.com/Proofpoint_Essentials/Email_Security/Administrator_Topics/000_gettingstarted/020_connectiondetails',
  asOf: '2025-01-10',
  note: 'Proofpoint hosted networks (pphosted, ppe-hosted; US, EU, APAC). Written from the published page as known on the list date (no network in the build environment); npm run update:ranges refreshes it.',
  prefixes: [
    '62.209.50.0/24',
    '62.209.51.0/24',
    '67.231.144.0/20',
    '91.209.104.0/24',
    '148.163.128.0/19',
    '185.132.180.0/22',
    '205.220.160.0/19',
    '208.84.64.0/22',
    '208.86.200.0/22',
    // Proofpoint Essentials Australia / APAC
    '103.237.104.0/22',
  ],
};
