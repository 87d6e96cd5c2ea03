import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface IssuedCert {
  keyPath: string;
  certPath: string;
  key: Buffer;
  cert: Buffer;
}

export interface TestCa {
  /** the CA certificate (PEM): what a client told to trust this CA gets as `ca` */
  cert: Buffer;
  certPath: string;
  /** a server certificate for `names` (DNS SANs); `expired`: valid only in January 2020 */
  issue(names: string[], opts?: { expired?: boolean }): Promise<IssuedCert>;
}

/** openssl's date form for `openssl ca -startdate/-enddate` */
const stamp = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/**
 * A certificate authority of the test's own, made with openssl in `dir`: the trust anchor a
 * client is given explicitly (never NODE_TLS_REJECT_UNAUTHORIZED), and leaf certificates for any
 * name, also already expired (`openssl ca` takes explicit validity dates; `x509 -req` of
 * OpenSSL 3.0 does not).
 */
export async function createTestCa(dir: string): Promise<TestCa> {
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-days',
    '3',
    '-subj',
    '/CN=Blitz Test CA',
  ]);
  const config = join(dir, 'ca.cnf');
  writeFileSync(
    config,
    `[ ca ]
default_ca = test_ca
[ test_ca ]
database = ${dir}/index.txt
new_certs_dir = ${dir}/newcerts
serial = ${dir}/serial
certificate = ${caCert}
private_key = ${caKey}
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
`,
  );
  let n = 0;
  // `openssl ca` rewrites serial and index.txt by rename: two at once lose one of the renames
  let signing: Promise<unknown> = Promise.resolve();
  return {
    cert: readFileSync(caCert),
    certPath: caCert,
    async issue(names, opts = {}) {
      const id = `leaf${++n}`;
      const keyPath = join(dir, `${id}.key`);
      const csr = join(dir, `${id}.csr`);
      const certPath = join(dir, `${id}.pem`);
      const ext = join(dir, `${id}.ext`);
      writeFileSync(
        ext,
        `[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = ${names.map((h) => `DNS:${h}`).join(',')}
`,
      );
      await run('openssl', [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        csr,
        '-subj',
        `/CN=${names[0]}`,
      ]);
      const now = Date.now();
      const [start, end] = opts.expired
        ? [new Date('2020-01-01T00:00:00Z'), new Date('2020-01-31T00:00:00Z')]
        : [new Date(now - 3600_000), new Date(now + 2 * 86400_000)];
      const sign = signing.then(() =>
        run('openssl', [
          'ca',
          '-batch',
          '-notext',
          '-config',
          config,
          '-startdate',
          stamp(start),
          '-enddate',
          stamp(end),
          '-extfile',
          ext,
          '-extensions',
          'leaf',
          '-in',
          csr,
          '-out',
          certPath,
        ]),
      );
      signing = sign.catch(() => undefined);
      await sign;
      return { keyPath, certPath, key: readFileSync(keyPath), cert: readFileSync(certPath) };
    },
  };
}
