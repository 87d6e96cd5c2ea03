import {
  azureDownloadLink,
  parseAppleEgressCsv,
  parseAws,
  parseAzureServiceTags,
  parseCidrLines,
  parseGoogle,
  parseHtmlCidrs,
  parseM365Eop,
} from './parsers';

export type Fetch = (url: string) => Promise<string>;

/**
 * One published list and the RangeSource it refreshes: `file` (under classify/data) and `name`
 * (the exported const) say where; `load` fetches and parses the list.
 */
export interface UpdatableSource {
  id: string;
  file: string;
  name: string;
  load(fetch: Fetch): Promise<string[]>;
  /** kept in addition to what the list says (blocks the list does not carry; see the data file) */
  keep?: readonly string[];
}

// endpoints.office.com wants a client request id (any GUID) on every call
const M365 = (instance: string): string =>
  `https://endpoints.office.com/endpoints/${instance}?ServiceAreas=Exchange&clientrequestid=b10c5ed9-4e3a-4b5d-9a56-7a1f3c1b2d21`;

const html = (url: string) => async (fetch: Fetch) => parseHtmlCidrs(await fetch(url));

export const UPDATABLE: readonly UpdatableSource[] = [
  {
    id: 'aws',
    file: 'cloud.ts',
    name: 'aws',
    load: async (f) => parseAws(await f('https://ip-ranges.amazonaws.com/ip-ranges.json')),
  },
  {
    id: 'google-cloud',
    file: 'cloud.ts',
    name: 'googleCloud',
    load: async (f) => parseGoogle(await f('https://www.gstatic.com/ipranges/cloud.json')),
  },
  {
    id: 'azure',
    file: 'cloud.ts',
    name: 'azure',
    load: async (f) =>
      parseAzureServiceTags(
        await f(azureDownloadLink(await f('https://www.microsoft.com/en-us/download/details.aspx?id=56519'))),
      ),
  },
  {
    id: 'microsoft-eop',
    file: 'microsoft-eop.ts',
    name: 'microsoftEop',
    load: async (f) => parseM365Eop(await f(M365('worldwide'))),
    // Defender for Office 365 detonation egress: not in the endpoint list (see microsoft-eop.ts)
    keep: ['40.94.0.0/16'],
  },
  {
    id: 'microsoft-eop-gov',
    file: 'microsoft-eop.ts',
    name: 'microsoftEopGov',
    load: async (f) => [
      ...parseM365Eop(await f(M365('USGOVGCCHigh'))),
      ...parseM365Eop(await f(M365('USGOVDoD'))),
    ],
  },
  {
    id: 'apple-relay',
    file: 'apple-relay.ts',
    name: 'appleRelay',
    load: async (f) => parseAppleEgressCsv(await f('https://mask-api.icloud.com/egress-ip-ranges.csv')),
  },
  {
    id: 'telegram',
    file: 'previews.ts',
    name: 'telegram',
    load: async (f) => parseCidrLines(await f('https://core.telegram.org/resources/cidr.txt')),
  },
  {
    id: 'mimecast',
    file: 'mimecast.ts',
    name: 'mimecast',
    load: html(
      'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000360548755-Mimecast-Data-Centers-and-URLs',
    ),
  },
  {
    id: 'proofpoint',
    file: 'proofpoint.ts',
    name: 'proofpoint',
    load: html(
      'https://help.proofpoint.com/Proofpoint_Essentials/Email_Security/Administrator_Topics/000_gettingstarted/020_connectiondetails',
    ),
  },
  {
    id: 'barracuda',
    file: 'barracuda.ts',
    name: 'barracuda',
    load: html(
      'https://campus.barracuda.com/product/emailgatewaydefense/doc/96022998/email-gateway-defense-ip-ranges/',
    ),
  },
  {
    id: 'hornetsecurity',
    file: 'other-security.ts',
    name: 'hornetsecurity',
    load: html('https://support.hornetsecurity.com/hc/en-us/articles/18339436823953'),
  },
  {
    id: 'trendmicro',
    file: 'other-security.ts',
    name: 'trendMicro',
    load: html('https://success.trendmicro.com/en-US/solution/KA-0007436'),
  },
  {
    id: 'broadcom',
    file: 'other-security.ts',
    name: 'messagelabs',
    load: html('https://knowledge.broadcom.com/external/article/175492'),
  },
  {
    id: 'sophos',
    file: 'other-security.ts',
    name: 'sophos',
    load: html('https://support.sophos.com/support/s/article/KBA-000006603'),
  },
];

/**
 * Kept by hand, no list a program can read: Apple's own network (an RIR allocation), Google's
 * and Yahoo's mail netblocks (SPF records in DNS), Cisco's IronPort blocks (its ASNs), and the
 * preview crawlers taken from routing registries.
 */
export const MANUAL = ['apple', 'google', 'yahoo', 'cisco', 'meta', 'x', 'linkedin'] as const;
