import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from '../lib/proc';

const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/**
 * Ceiling (a): nginx serving the static 43-byte GIF for /o/… and a 302 for /c/…, access_log off,
 * one worker process (the node servers use one core too), from a generated config in a temp dir.
 */
export async function startNginx(): Promise<Server & { workers: number }> {
  if (!NGINX) throw new Error('nginx not installed (apt-get install nginx-light)');
  const dir = mkdtempSync(join(tmpdir(), 'blitz-nginx-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'pixel.gif'), GIF);
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location /o/ {
      root ${dir};
      default_type image/gif;
      add_header Cache-Control "no-store";
      rewrite ^ /pixel.gif break;
    }
    location /c/ {
      add_header Cache-Control "no-store";
      return 302 https://bench.example/;
    }
  }
}
`,
  );
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx config rejected: ${check.stderr}`);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/o/x.gif`);
      if (r.status === 200 && (await r.arrayBuffer()).byteLength === 43) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    workers: 1,
    stop: () =>
      new Promise<void>((r) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          r();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
