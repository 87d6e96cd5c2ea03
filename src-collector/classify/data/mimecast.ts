import type { RangeSource } from './types';

/**
 * Mimecast (URL Protect follows links at delivery). From "Mimecast Data Centers and URLs", the
 * inbound/outbound network ranges per region (US, EU/UK, DE). US grid 207.211.30.0/23 is the
 * directly owned block the 2023 migration moved to.
 */
export const mimecast: RangeSource = {
  owner: 'mimecast',
  category: 'mail_security',
  source:
    'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000360548755-Mimecast-Data-Centers-and-URLs',
  asOf: '2025-01-10',
  note: 'Mimecast regional data-centre ranges, every region of the page (US, UK/EU, DE, CA, ZA, AU, Offshore). Written from the published page as known on the list date (no network in the build environment); npm run update:ranges refreshes it.',
  prefixes: [
    // United States
    '63.128.21.0/24',
    '170.10.128.0/24',
    '170.10.129.0/24',
    '170.10.133.0/24',
    '205.139.110.0/24',
    '205.139.111.0/24',
    '207.211.30.0/23',
    '216.205.24.0/24',
    // Europe / United Kingdom
    '91.220.42.0/24',
    '146.101.78.0/24',
    '185.58.84.0/22',
    '195.130.217.0/24',
    // Germany
    '51.163.158.0/23',
    '62.140.7.0/24',
    '62.140.10.0/24',
    // South Africa
    '41.74.192.0/22',
    '41.74.196.0/22',
    '41.74.200.0/23',
    '41.74.204.0/23',
    '41.74.206.0/24',
    // Australia
    '103.13.69.0/24',
    '103.96.20.0/22',
    '124.47.150.0/24',
    '124.47.189.0/24',
    '180.189.28.0/24',
    // Offshore (Jersey)
    '213.167.75.0/25',
    '213.167.81.0/25',
  ],
};
