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
  note: 'Mimecast regional data-centre ranges.',
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
  ],
};
