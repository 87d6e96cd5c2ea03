import type { RangeSource } from './types';

/** Barracuda Email Security Service / Email Gateway Defense (Link Protection). */
export const barracuda: RangeSource = {
  owner: 'barracuda',
  category: 'mail_security',
  source:
    'https://campus.barracuda.com/product/emailgatewaydefense/doc/96022998/email-gateway-defense-ip-ranges/',
  asOf: '2025-01-10',
  note: 'Barracuda ESS ranges (US, CA, DE, UK, AU instances).',
  prefixes: [
    '64.235.144.0/20',
    '209.222.80.0/21',
    '35.157.190.224/27',
    '18.185.115.192/26',
    '3.97.99.32/27',
    '35.176.92.96/27',
    '3.24.133.128/25',
  ],
};
