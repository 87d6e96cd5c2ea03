import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';

/**
 * A TLS endpoint on loopback standing where nginx stands in production: it terminates TLS with
 * the certificate it is given (swappable between cases) and passes every request, Host header
 * included, to `upstream` — or answers with `handler` (another server on the name).
 */
export interface TlsFront {
  port: number;
  setCert(tls: { key: Buffer; cert: Buffer }): void;
  /** where requests go: a collector's URL, or a handler of a server that is not it */
  setUpstream(to: string | ((req: IncomingMessage, res: ServerResponse) => void)): void;
  close(): Promise<void>;
}

export async function startTlsFront(tls: { key: Buffer; cert: Buffer }, upstream: string): Promise<TlsFront> {
  let target: string | ((req: IncomingMessage, res: ServerResponse) => void) = upstream;
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (typeof target === 'function') return target(req, res);
    const u = new URL(target);
    const up = httpRequest(
      { host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    port: (server.address() as AddressInfo).port,
    setCert: (t) => server.setSecureContext({ key: t.key, cert: t.cert }),
    setUpstream: (to) => {
      target = to;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/**
 * A resolver with dns.lookup's signature that knows only the names in `names` (what a test's
 * DNS zone would hold); any other name fails like getaddrinfo's NXDOMAIN.
 */
export function mapResolver(names: Map<string, string>): LookupFunction {
  return (host, options, cb) => {
    const address = names.get(host.toLowerCase());
    if (address === undefined) {
      cb(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }),
        '',
      );
      return;
    }
    const family = address.includes(':') ? 6 : 4;
    if (options.all) cb(null, [{ address, family } satisfies LookupAddress]);
    else cb(null, address, family);
  };
}
