import { parseArgs } from 'node:util';
import { normaliseTrackingHost, trackingBaseUrl } from '../../src-shared/tracking-domain';
import type { Store } from '../store/types';
import pino from 'pino';
import { probeOptionsFromEnv } from './probe';
import { describeDomain, setTrackingDomain, stateInWords } from './service';
import { DomainVerifier } from './verifier';
import { DEFAULT_ACME_WEBROOT } from './setup';

export const DOMAIN_HELP = `  domain set --account ID --host HOST [--public-url URL] [--target HOST|IP] [--upstream URL]
        the account's own tracking host name (e.g. t.muster-immobilien.de): new pixels, links and
        landing pages use https://HOST; prints {"domain": …} with the DNS record to create, an nginx
        server block and the certbot/acme.sh commands (docs/operations.md). --target: where the
        DNS record points (default BLITZ_DOMAIN_TARGET, else the host of --public-url);
        --upstream: the collector's address for nginx (default http://127.0.0.1:8080).
        The domain starts PENDING: new links keep the collector's address until a probe
        passes. Running collectors probe it within 15 s and then with backoff; or run verify.
  domain verify --account ID
        probes https://HOST now: DNS resolves it, TLS presents a valid certificate for it, and
        /healthz answers as this collector (a one-time nonce only a collector on this store can
        answer). Passed: live. Prints the state in words (German) and {"domain": …}; exit 1
        when the probe failed
  domain list
        prints {"domains": [{accountId, host, baseUrl, createdAt, state, lastCheck, …, status}]}
  domain remove --account ID
        new links of the account use the collector's address again; prints {"removed": …|null}`;

export class DomainCommandError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** `domain set|list|remove` (issue 20); `withStore` opens --db / DATABASE_URL as every command does */
export async function runDomainCommand(
  args: string[],
  withStore: <T>(db: string, fn: (store: Store) => Promise<T>) => Promise<T>,
): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      db: { type: 'string', default: 'blitz-collector.db' },
      account: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      target: { type: 'string' },
      upstream: { type: 'string' },
    },
  });
  const out = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  if (sub === 'list') {
    const rows = await withStore(values.db, (s) => s.trackingDomains.list());
    out({
      domains: rows.map((r) => ({ ...r, baseUrl: trackingBaseUrl(r.host), status: stateInWords(r) })),
    });
    return;
  }
  if (sub === 'verify') {
    const account = need(values.account, '--account');
    const after = await withStore(values.db, async (s) => {
      const rec = (await s.trackingDomains.list()).find((d) => d.accountId === account);
      if (!rec) return null;
      const verifier = new DomainVerifier(
        s.trackingDomains,
        await s.trackingDomains.probeSecret(),
        cliLogger(),
        async () => undefined,
        { probe: probeOptionsFromEnv(process.env) },
      );
      return (await verifier.verify(rec)) ?? rec;
    });
    if (!after) throw new DomainCommandError(1, `Fehler: Konto ${account} hat keine Tracking-Domain`);
    process.stderr.write(`${after.host}: ${stateInWords(after)}\n`);
    out({ domain: { ...after, baseUrl: trackingBaseUrl(after.host) } });
    if (!after.lastCheck?.ok) process.exitCode = 1;
    return;
  }
  if (sub === 'remove') {
    const account = need(values.account, '--account');
    const removed = await withStore(values.db, (s) => s.trackingDomains.remove(account));
    out({ removed });
    return;
  }
  if (sub !== 'set')
    throw new DomainCommandError(2, `unknown: domain ${sub ?? ''} (set, verify, list or remove)`);
  const account = need(values.account, '--account');
  const host = normaliseTrackingHost(need(values.host, '--host'));
  if (host === null)
    throw new DomainCommandError(
      2,
      '--host must be a host name such as t.muster-immobilien.de (no scheme, port or path)',
    );
  let publicHost: string | undefined;
  if (values['public-url'] !== undefined) {
    try {
      publicHost = new URL(values['public-url']).hostname;
    } catch {
      throw new DomainCommandError(2, `--public-url must be an absolute URL, got ${values['public-url']}`);
    }
  }
  const target = values.target ?? process.env.BLITZ_DOMAIN_TARGET ?? publicHost;
  if (!target)
    throw new DomainCommandError(
      2,
      'missing --target HOST|IP or --public-url URL (where the DNS record points)',
    );
  const result = await withStore(values.db, (s) =>
    setTrackingDomain(s, account, host, publicHost ? [publicHost] : []),
  );
  if (!result.ok) throw new DomainCommandError(1, `Fehler: ${result.message} (${result.code})`);
  out({
    domain: describeDomain(result.record, {
      target,
      upstream: values.upstream ?? 'http://127.0.0.1:8080',
      webroot: process.env.BLITZ_ACME_WEBROOT || DEFAULT_ACME_WEBROOT,
    }),
    previous: result.previous,
  });
  process.stderr.write(`${result.record.host}: ${stateInWords(result.record)}\n`);
}

function need(v: string | undefined, flag: string): string {
  if (v === undefined || v.trim() === '')
    throw new DomainCommandError(2, `Aufruf fehlerhaft (usage error): missing ${flag}`);
  return v;
}

/** the probe's precise errors on stderr as JSON lines (the German summary follows them) */
function cliLogger() {
  return pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'blitz-collector' } },
    pino.destination(2),
  );
}
