import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src-shared/evidence/canonical';
import type { EvidenceFile } from '../../src-shared/evidence/format';
import { verifyEvidence } from '../../src-shared/evidence/verify';
import { call, CHROME_UA, hitPixel, register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';

/**
 * A real RFC 3161 timestamp authority on loopback: `openssl ts -reply` with a throwaway CA and a
 * TSA certificate (extendedKeyUsage timeStamping), behind a tiny HTTP server.
 */
async function startTsa(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Blitz Test CA', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  ossl('req', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Blitz Test TSA');
  writeFileSync(join(dir, 'ext.cnf'), 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n');
  ossl('x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '2', '-extfile', 'ext.cnf');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    `[ tsa ]\ndefault_tsa = t\n[ t ]\ndir = ${dir}\nserial = $dir/serial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.crt\ncerts = $dir/ca.crt\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n`,
  );
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      const q = join(dir, `q${++n}.tsq`);
      const r = join(dir, `r${n}.tsr`);
      writeFileSync(q, Buffer.concat(chunks));
      const out = spawnSync('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
      if (out.status !== 0) {
        res.writeHead(500).end(out.stderr);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(r));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('RFC 3161 timestamps of signed heads (local openssl TSA)', () => {
  let dir: string;
  let tsa: Awaited<ReturnType<typeof startTsa>>;
  let c: TestCollector;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-tsa-'));
    tsa = await startTsa(dir);
    c = await startTestCollector({ evidence: { keyFile: join(dir, 'key.pem'), tsaUrl: tsa.url } });
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    await tsa?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every signed head is stamped; the verifier checks the imprint; openssl verifies the TSA signature', async () => {
    const m = await register(c, c.adminToken, { recipients: [{ email: 'tina@kunde.example' }] });
    await hitPixel(m.trackers[0]!.pixelUrl, CHROME_UA);
    const r = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=tina@kunde.example`, { token: c.adminToken });
    expect(r.status).toBe(200);
    const file = r.body;
    expect(file.heads.length).toBeGreaterThan(0);
    const h = file.heads[file.heads.length - 1]!;
    expect(h.timestamp?.tsa).toBe(tsa.url);
    const v = verifyEvidence(r.text);
    expect(v.ok && v.value.timestamps).toBe(file.heads.length);

    // the TSA's own signature, with its CA: what a court's expert would run
    writeFileSync(join(dir, 'resp.tsr'), Buffer.from(h.timestamp!.response, 'base64'));
    const digest = sha256Hex(canonicalJson(h.head));
    const ok = spawnSync('openssl', ['ts', '-verify', '-digest', digest, '-sha256', '-in', join(dir, 'resp.tsr'), '-CAfile', join(dir, 'ca.crt'), '-untrusted', join(dir, 'tsa.crt')], { encoding: 'utf8' });
    expect(`${ok.stdout}${ok.stderr}`).toContain('Verification: OK');

    // a timestamp of something else fails the record that rests on that head
    const forged = JSON.parse(r.text) as EvidenceFile;
    const other = forged.heads[forged.heads.length - 1]!;
    // same head, but a genuine response of the same TSA over a different digest
    const q = spawnSync('openssl', ['ts', '-query', '-digest', sha256Hex('other'), '-sha256', '-cert', '-out', join(dir, 'x.tsq')]);
    expect(q.status).toBe(0);
    const x = spawnSync('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', join(dir, 'x.tsq'), '-out', join(dir, 'x.tsr')]);
    expect(x.status).toBe(0);
    other.timestamp = { tsa: tsa.url, response: readFileSync(join(dir, 'x.tsr')).toString('base64') };
    const bad = verifyEvidence(JSON.stringify(forged));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.record).not.toBeNull();
  }, 60_000);
});
