import type { RangeSource } from './types';

/** Cisco Secure Email Cloud Gateway (IronPort, *.iphmx.com), URL filtering and sandboxing. */
export const cisco: RangeSource = {
  owner: 'cisco',
  category: 'mail_security',
  source:
    'https://www.cisco.com/c/en/us/td/docs/security/ces/overview_guide/Cisco_Cloud_Hybrid_Email_Security_Overview_Guide.html',
  asOf: '2025-01-10',
  note: 'IronPort cloud (iphmx.com) networks, AS30214/AS16417.',
  prefixes: ['68.232.128.0/19', '216.71.128.0/18'],
};
