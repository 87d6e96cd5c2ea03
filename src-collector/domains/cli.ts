import { parseArgs } from 'node:util';
import { normaliseTrackingHost, trackingBaseUrl } from '../../src-shared/tracking-domain';
import type { Store } from '../store/types';
import { describeDomain, setTrackingDomain } from './service';
import { DEFAULT_ACME_WEBROOT } from './setup';

export const DOMAIN_HELP = `  domain set --account ID --host HOST [--public-url URL] [--target HOST|IP] [--upstream URL]
        the account's own tracking host name (e.g. t.muster-immobilien.de): new pixels, links and
        landing pages use https://HOST; prints {"domain": …} with the DNS record to create, an nginx
        server block and the certbot/acme.sh commands (docs/operations.md). --target: where the
        DNS record points (default BLITZ_DOMAIN_TARGET, else the host of --public-url);
        --upstream: the collector's address for nginx (default http://127.0.0.1:8080).
        Running collectors see the change within 10 s.
  domain list
        prints {"domains": [{accountId, host, baseUrl, createdAt}]}
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
    out({ domains: rows.map((r) => ({ ...r, baseUrl: trackingBaseUrl(r.host) })) });
    return;
  }
  if (sub === 'remove') {
    const account = need(values.account, '--account');
    const removed = await withStore(values.db, (s) => s.trackingDomains.remove(account));
    out({ removed });
    return;
  }
  if (sub !== 'set') throw new DomainCommandError(2, `unknown: domain ${sub ?? ''} (set, list or remove)`);
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
}

function need(v: string | undefined, flag: string): string {
  if (v === undefined || v.trim() === '')
    throw new DomainCommandError(2, `Aufruf fehlerhaft (usage error): missing ${flag}`);
  return v;
}
