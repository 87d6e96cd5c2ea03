import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRanges } from '../../src-collector/classify/ranges-update';
import {
  collapse,
  parseAppleEgressCsv,
  parseHtmlCidrs,
} from '../../src-collector/classify/ranges-update/parsers';
import { currentPrefixes } from '../../src-collector/classify/ranges-update/rewrite';

const DATA = fileURLToPath(new URL('../../src-collector/classify/data', import.meta.url));
const MIMECAST_NOW = currentPrefixes(readFileSync(join(DATA, 'mimecast.ts'), 'utf8'), 'mimecast');

// Sample bodies in each provider's published format, served by a real HTTP server on loopback
// under /<host>/<path>, as the updater's mirror option asks for them.
const AZURE_JSON = '/download.microsoft.com/download/7/1/D/71D86715/ServiceTags_Public_20261130.json';
const FILES: Record<string, { type: string; body: string } | number> = {
  '/ip-ranges.amazonaws.com/ip-ranges.json': {
    type: 'application/json',
    body: JSON.stringify({
      syncToken: '1',
      createDate: '2026-11-30-10-00-00',
      prefixes: [
        { ip_prefix: '3.5.140.0/22', region: 'ap-northeast-2', service: 'AMAZON', network_border_group: 'x' },
        ...Array.from({ length: 40 }, (_, i) => ({
          ip_prefix: `13.${32 + i}.0.0/16`,
          region: 'eu-central-1',
          service: 'EC2',
          network_border_group: 'eu-central-1',
        })),
        { ip_prefix: '13.33.4.0/24', region: 'eu-central-1', service: 'EC2', network_border_group: 'x' },
      ],
      ipv6_prefixes: [{ ipv6_prefix: '2a05:d014::/36', region: 'eu-central-1', service: 'EC2' }],
    }),
  },
  '/www.gstatic.com/ipranges/cloud.json': {
    type: 'application/json',
    body: '{"creationTime": "x", "prefixes": [',
  },
  '/www.microsoft.com/en-us/download/details.aspx': {
    type: 'text/html',
    body: `<html><body><h1>Azure IP Ranges and Service Tags</h1><a href="https://download.microsoft.com${AZURE_JSON.slice('/download.microsoft.com'.length)}">Download</a></body></html>`,
  },
  [AZURE_JSON]: {
    type: 'application/json',
    body: JSON.stringify({
      changeNumber: 1,
      cloud: 'Public',
      values: [
        {
          name: 'AzureCloud',
          id: 'AzureCloud',
          properties: {
            addressPrefixes: Array.from({ length: 40 }, (_, i) => `20.${i}.0.0/16`).concat([
              '2603:1000::/24',
            ]),
          },
        },
        { name: 'Storage', id: 'Storage', properties: { addressPrefixes: ['52.239.0.0/17'] } },
      ],
    }),
  },
  '/endpoints.office.com/endpoints/worldwide': {
    type: 'application/json',
    body: JSON.stringify([
      {
        id: 1,
        serviceArea: 'Exchange',
        urls: ['outlook.office.com'],
        ips: ['13.107.6.152/31'],
        tcpPorts: '80,443',
      },
      {
        id: 9,
        serviceArea: 'Exchange',
        ips: ['40.92.0.0/15', '40.107.0.0/16', '52.100.0.0/14', '104.47.0.0/17', '2a01:111:f400::/48'],
        tcpPorts: '25',
      },
      { id: 10, serviceArea: 'Exchange', ips: ['2a01:111:f403::/48'], tcpPorts: '25' },
    ]),
  },
  '/endpoints.office.com/endpoints/USGOVGCCHigh': 503,
  '/mask-api.icloud.com/egress-ip-ranges.csv': {
    type: 'text/csv',
    body: [
      '172.224.226.0/27,GB,GB-EN,London,',
      '172.224.226.32/27,GB,GB-EN,London,',
      '104.28.0.0/27,DE,DE-BE,Berlin,',
      '2a02:26f7:b3c0:4000::/64,DE,DE-HE,Frankfurt,',
      '2a09:bac1:1f80:10::/64,DE,DE-BY,Munich,',
    ].join('\n'),
  },
  '/core.telegram.org/resources/cidr.txt': {
    type: 'text/plain',
    body: [
      '# Telegram',
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
      '95.161.64.0/20',
    ].join('\n'),
  },
  '/mimecastsupport.zendesk.com/hc/en-us/articles/34000360548755-Mimecast-Data-Centers-and-URLs': {
    type: 'text/html',
    body: `<html><body><h2>Germany</h2><table><tr><td>Inbound</td><td>62.140.7.0/24</td></tr>
      <tr><td>Outbound</td><td>62.140.10.0/24<br>51.163.158.0/23</td></tr></table>
      <h2>South Africa</h2><p>41.74.192.0/22, 41.74.196.0/22, 41.74.208.0/23</p>
      <h2>Other regions</h2><ul>${MIMECAST_NOW.map((p) => `<li>${p}</li>`).join('')}</ul>
      <p>Example for your firewall: 192.168.1.0/24 and 10.0.0.0/8 (internal)</p>
      <script>var x = "1.2.3.0/24";</script></body></html>`,
  },
  '/help.proofpoint.com/Proofpoint_Essentials/Email_Security/Administrator_Topics/000_gettingstarted/020_connectiondetails':
    {
      type: 'text/html',
      body: '<html><body><p>This page has moved.</p></body></html>',
    },
};

let server: Server;
let mirror: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const f = FILES[path];
    if (f === undefined || typeof f === 'number') {
      res.writeHead(typeof f === 'number' ? f : 404).end('no');
      return;
    }
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'blitz-ranges-'));
  cpSync(DATA, dir, { recursive: true });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

describe('npm run update:ranges', () => {
  it('refreshes each list it can parse, and reports and keeps the files of those it cannot', async () => {
    const before = {
      gcp: currentPrefixes(read('cloud.ts'), 'googleCloud'),
      proofpoint: read('proofpoint.ts'),
      gov: currentPrefixes(read('microsoft-eop.ts'), 'microsoftEopGov'),
      barracuda: read('barracuda.ts'),
    };
    const reports = await updateRanges({ dataDir: dir, mirror, timeoutMs: 5_000, today: '2026-12-06' });
    const by = new Map(reports.map((r) => [r.id, r]));

    // AWS: only EC2, contained blocks dropped, the date written
    expect(by.get('aws')).toMatchObject({ ok: true, written: true, prefixes: 41 });
    const aws = currentPrefixes(read('cloud.ts'), 'aws');
    expect(aws).toContain('13.32.0.0/16');
    expect(aws).toContain('2a05:d014::/36');
    expect(aws).not.toContain('3.5.140.0/22');
    expect(aws).not.toContain('13.33.4.0/24');
    expect(read('cloud.ts')).toMatch(/owner: 'aws',[\s\S]*?asOf: '2026-12-06'/);

    // Azure: the weekly file found on its download page, only the AzureCloud tag
    expect(by.get('azure')).toMatchObject({ ok: true });
    const azure = currentPrefixes(read('cloud.ts'), 'azure');
    expect(azure).toContain('20.39.0.0/16');
    expect(azure).not.toContain('52.239.0.0/17');

    // Microsoft 365: the mail-flow (TCP 25) sets only, and the kept detonation block
    const eop = currentPrefixes(read('microsoft-eop.ts'), 'microsoftEop');
    expect(eop).toEqual(expect.arrayContaining(['40.92.0.0/15', '2a01:111:f403::/48', '40.94.0.0/16']));
    expect(eop).not.toContain('13.107.6.152/31');

    // Apple relay CSV aggregated to /24 and /40
    expect(currentPrefixes(read('apple-relay.ts'), 'appleRelay')).toEqual(
      expect.arrayContaining(['172.224.226.0/24', '104.28.0.0/24', '2a02:26f7:b300::/40']),
    );
    expect(by.get('telegram')).toMatchObject({ ok: true, prefixes: 14, added: 1, removed: 0 });

    // a help page: its public CIDRs, not the firewall example, not the script
    const mimecast = currentPrefixes(read('mimecast.ts'), 'mimecast');
    expect(by.get('mimecast')).toMatchObject({ ok: true, added: 1, removed: 0 });
    expect(mimecast).toContain('41.74.208.0/23');
    expect(mimecast).toContain('62.140.7.0/24');
    expect(mimecast).not.toContain('192.168.1.0/24');
    expect(mimecast).not.toContain('1.2.3.0/24');
    // the comment above the object is still there
    expect(read('mimecast.ts')).toContain('Mimecast (URL Protect follows links at delivery)');

    // failures: broken JSON, a moved page, an HTTP error, a missing page — each named, file kept
    expect(by.get('google-cloud')).toMatchObject({ ok: false });
    expect(currentPrefixes(read('cloud.ts'), 'googleCloud')).toEqual(before.gcp);
    expect(by.get('proofpoint')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no public CIDR'),
    });
    expect(read('proofpoint.ts')).toBe(before.proofpoint);
    expect(by.get('microsoft-eop-gov')).toMatchObject({
      ok: false,
      error: expect.stringContaining('HTTP 503'),
    });
    expect(currentPrefixes(read('microsoft-eop.ts'), 'microsoftEopGov')).toEqual(before.gov);
    expect(by.get('barracuda')).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 404') });
    expect(read('barracuda.ts')).toBe(before.barracuda);
  });

  it('a list far shorter than the one it replaces is refused (a cut-off download)', async () => {
    FILES['/core.telegram.org/resources/cidr.txt'] = { type: 'text/plain', body: '91.108.56.0/22\n' };
    const before = read('previews.ts');
    // the first run wrote 4; one of them is less than half
    const [r] = await updateRanges({ dataDir: dir, mirror, only: ['telegram'] });
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('cut-off') });
    expect(read('previews.ts')).toBe(before);
  });

  it('the command fails clearly per source where nothing can be reached, and changes no file', () => {
    const copy = mkdtempSync(join(tmpdir(), 'blitz-ranges-'));
    try {
      cpSync(DATA, copy, { recursive: true });
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/update-ranges.ts',
          '--data-dir',
          copy,
          '--mirror',
          'http://127.0.0.1:9',
          '--only',
          'aws,sophos',
        ],
        { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 150_000 },
      );
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        /FAILED\s+aws\s+https:\/\/ip-ranges\.amazonaws\.com\/ip-ranges\.json not reachable: .*file kept/,
      );
      expect(r.stdout).toMatch(/FAILED\s+sophos\s+.*not reachable/);
      expect(r.stdout).toContain('2 of 2 sources could not be refreshed');
      expect(readFileSync(join(copy, 'cloud.ts'), 'utf8')).toBe(readFileSync(join(DATA, 'cloud.ts'), 'utf8'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('range list parsers', () => {
  it('collapse drops duplicates and contained blocks', () => {
    expect(
      collapse(['10.0.0.0/8', '10.1.0.0/16', '11.0.0.0/8', '11.0.0.0/8', '2001:db8::/32', '2001:db8:1::/48']),
    ).toEqual(['10.0.0.0/8', '11.0.0.0/8', '2001:db8::/32']);
  });

  it('an Apple CSV row that is not a CIDR fails the list', () => {
    expect(() => parseAppleEgressCsv('172.224.226.0/27,GB,,,\nnot-an-ip,DE,,,')).toThrow(/not a CIDR/);
  });

  it('an HTML page without public ranges fails', () => {
    expect(() => parseHtmlCidrs('<p>Use 192.0.2.0/24 in your rules</p>')).toThrow(/no public CIDR/);
  });
});
