import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Debian's nginx, when installed (tests needing it skip without) */
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/**
 * deploy/nginx.conf as shipped, made to run on loopback: the port-80 redirect server and TLS
 * taken out, `listen 127.0.0.1:{port}` put in, the sample upstream servers replaced by `upstreams`
 * (each with `serverParams`, e.g. `max_fails=3 fail_timeout=2s`). `dropRateLimits`: the
 * per-address `limit_req` lines out (a load test's whole load comes from 127.0.0.1).
 */
export function shippedConfigOnLoopback(
  port: number,
  upstreams: string[],
  opts: { serverParams?: string; dropRateLimits?: boolean } = {},
): string {
  let conf = readFileSync(resolve(__dirname, '../../deploy/nginx.conf'), 'utf8');
  conf = conf.replace(/server \{\n\s+listen 80;[\s\S]*?\n\}\n/, '');
  conf = conf.replace(/^\s*listen (\[::\]:)?443 ssl http2;\n/gm, '');
  conf = conf.replace(/^\s*ssl_certificate(_key)? .*\n/gm, '');
  if (opts.dropRateLimits) conf = conf.replace(/^\s*limit_req .*\n/gm, '');
  conf = conf.replace(
    /server_name t\.example\.com;/,
    `listen 127.0.0.1:${port};\n    server_name t.example.com;`,
  );
  conf = conf.replace(/^\s*server (127\.0\.0\.1|10\.)[^\n]*\n/gm, '');
  const params = opts.serverParams ? ` ${opts.serverParams}` : '';
  conf = conf.replace(
    /least_conn;/,
    `least_conn;\n${upstreams.map((u) => `    server ${u}${params};`).join('\n')}`,
  );
  return conf;
}

/** a whole nginx.conf around `http` blocks, every path nginx writes inside `dir` */
export function testNginxConfig(
  dir: string,
  http: string,
  opts: { workerConnections?: number; accessLogOff?: boolean } = {},
): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${opts.workerConnections ?? 1024}; }
http {
${opts.accessLogOff ? '  access_log off;\n' : ''}  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${http}
}
`;
}

/**
 * Writes `config` to dir/nginx.conf, has `nginx -t` accept it (throws with nginx's own words
 * when not) and starts nginx in the foreground; the caller stops the child.
 */
export function startNginx(dir: string, config: string): ChildProcess {
  if (!NGINX) throw new Error('nginx not installed');
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected the config: ${check.stderr}`);
  return spawn(NGINX, ['-p', dir, '-c', file], { stdio: 'ignore' });
}
