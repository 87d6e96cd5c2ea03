import { isIP } from 'node:net';
import type { TrackingDomainSetup } from '../../src-shared/tracking-domain';

export interface SetupOptions {
  /**
   * where the host's DNS record points: the collector's own host name (a CNAME) or its public
   * IP address (an A / AAAA record). BLITZ_DOMAIN_TARGET, else the public URL's host.
   */
  target: string;
  /** where nginx passes requests to: the collector's listening URL, e.g. http://127.0.0.1:8080 */
  upstream: string;
  /** the folder nginx serves /.well-known/acme-challenge/ from (BLITZ_ACME_WEBROOT) */
  webroot?: string;
}

export const DEFAULT_ACME_WEBROOT = '/var/www/acme';

/**
 * What an admin does outside Blitz so `host` reaches the collector with a certificate: the DNS
 * record, nginx's server block (the certificate's paths are certbot's; acme.sh's --install-cert
 * can write to the same ones), and the ACME client's commands, webroot and DNS challenge.
 */
export function domainSetup(host: string, opts: SetupOptions): TrackingDomainSetup {
  const target = opts.target.replace(/\.$/, '');
  const family = isIP(target.replace(/^\[|\]$/g, ''));
  const type = family === 4 ? 'A' : family === 6 ? 'AAAA' : 'CNAME';
  const value = type === 'CNAME' ? `${target}.` : target.replace(/^\[|\]$/g, '');
  const webroot = opts.webroot ?? DEFAULT_ACME_WEBROOT;
  const upstream = opts.upstream.replace(/\/$/, '');
  const nginx = `server {
    listen 80;
    listen [::]:80;
    server_name ${host};
    # the ACME client's HTTP-01 answers
    location /.well-known/acme-challenge/ { root ${webroot}; }
    location / { return 301 https://$host$request_uri; }
}

# this one once the certificate exists (nginx does not start without its files)
server {
    # nginx >= 1.25.1: "listen 443 ssl;" plus "http2 on;"
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name ${host};
    ssl_certificate     /etc/letsencrypt/live/${host}/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/${host}/privkey.pem;

    location / {
        proxy_pass ${upstream};
        # the collector maps the host name to its account
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
    }
}
`;
  return {
    dns: { type, name: host, value, record: `${host}. 3600 IN ${type} ${value}` },
    nginx,
    acme: {
      certbotWebroot: `certbot certonly --webroot -w ${webroot} -d ${host} --deploy-hook "systemctl reload nginx"`,
      certbotDns: `certbot certonly --manual --preferred-challenges dns -d ${host}`,
      acmeShWebroot: `acme.sh --issue -d ${host} -w ${webroot} && acme.sh --install-cert -d ${host} --fullchain-file /etc/letsencrypt/live/${host}/fullchain.pem --key-file /etc/letsencrypt/live/${host}/privkey.pem --reloadcmd "systemctl reload nginx"`,
      acmeShDns: `acme.sh --issue --dns dns_cf -d ${host}   # dns_cf: your DNS provider's plugin (acme.sh/dnsapi), its API key in the environment`,
    },
  };
}
