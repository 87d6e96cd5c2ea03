import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifierOptions } from '../../src-collector/domains/verifier';
import { createTestCa, type IssuedCert, type TestCa } from './test-ca';
import { mapResolver, startTlsFront, type TlsFront } from './tls-front';

/**
 * What a tracking domain needs to pass the collector's probe on loopback (issue 20): a test CA,
 * one certificate for `hosts`, a TLS front holding it, and a zone mapping the names to
 * 127.0.0.1. Start the collector with `domainProbe`, then `attach` its URL behind the front;
 * a domain set afterwards is probed for real and goes live.
 */
export interface DomainProbeRig {
  ca: TestCa;
  cert: IssuedCert;
  front: TlsFront;
  zone: Map<string, string>;
  domainProbe: VerifierOptions & { periodic: boolean };
  attach(collectorUrl: string): void;
  close(): Promise<void>;
}

export async function startDomainProbeRig(hosts: string[]): Promise<DomainProbeRig> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-domain-rig-'));
  const ca = await createTestCa(dir);
  const cert = await ca.issue(hosts);
  const front = await startTlsFront(cert, 'http://127.0.0.1:1');
  const zone = new Map(hosts.map((h) => [h, '127.0.0.1']));
  return {
    ca,
    cert,
    front,
    zone,
    domainProbe: {
      periodic: false,
      probe: { lookup: mapResolver(zone), allowPrivate: true, ca: ca.cert, port: front.port, timeoutMs: 10_000 },
    },
    attach: (url) => front.setUpstream(url),
    close: async () => {
      await front.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
