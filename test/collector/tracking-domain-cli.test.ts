import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm run collector -- domain set|list|remove` against a real SQLite file (issue 20). */
const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'blitz-domain-cli-'));
const db = join(dir, 'c.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-collector/cli.ts', ...args, '--db', db], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('domain CLI', () => {
  it('sets (with DNS/nginx/ACME steps), lists, refuses bad input, removes', { timeout: 240_000 }, () => {
    const account = (JSON.parse(cli('create-account', '--name', 'Muster').out) as { accountId: string })
      .accountId;
    const set = cli(
      'domain',
      'set',
      '--account',
      account,
      '--host',
      'T.Muster-Immobilien.de',
      '--public-url',
      'https://t.example.com',
    );
    expect(set.code, set.err).toBe(0);
    const d = (
      JSON.parse(set.out) as { domain: { host: string; setup: { dns: { record: string }; nginx: string } } }
    ).domain;
    expect(d.host).toBe('t.muster-immobilien.de');
    // not live before a probe passed: said in German on stderr
    expect((JSON.parse(set.out) as { domain: { state: string } }).domain.state).toBe('pending');
    expect(set.err).toContain(
      'wartet auf die Prüfung: neue Links verwenden weiter die Adresse des Collectors',
    );
    expect(d.setup.dns.record).toBe('t.muster-immobilien.de. 3600 IN CNAME t.example.com.');
    expect(d.setup.nginx).toContain('proxy_pass http://127.0.0.1:8080;');
    expect(
      cli('domain', 'set', '--account', account, '--host', 'https://x.de/', '--target', 'x.example').code,
    ).toBe(2);
    expect(
      cli(
        'domain',
        'set',
        '--account',
        account,
        '--host',
        't.example.com',
        '--public-url',
        'https://t.example.com',
      ).code,
    ).toBe(1);
    const list = JSON.parse(cli('domain', 'list').out) as {
      domains: { accountId: string; baseUrl: string }[];
    };
    expect(list.domains).toEqual([
      expect.objectContaining({
        accountId: account,
        baseUrl: 'https://t.muster-immobilien.de',
        state: 'pending',
        status: expect.stringContaining('wartet auf die Prüfung'),
      }),
    ]);
    // verify: a name that cannot resolve (.invalid, RFC 6761) fails with the DNS step in German
    const other = (JSON.parse(cli('create-account', '--name', 'Nirgends').out) as { accountId: string })
      .accountId;
    const host = 'nirgends.blitz-test.invalid';
    expect(cli('domain', 'set', '--account', other, '--host', host, '--target', '127.0.0.1').code).toBe(0);
    const v = cli('domain', 'verify', '--account', other);
    expect(v.code, v.err).toBe(1);
    expect(v.err).toContain(`Prüfung fehlgeschlagen`);
    expect(v.err).toContain(`DNS: Der Name ${host} wurde nicht gefunden.`);
    // the precise error in the log line before it
    expect(v.err).toContain(`DNS lookup of ${host} failed`);
    expect(JSON.parse(v.out)).toMatchObject({
      domain: { host, state: 'failed', lastCheck: { ok: false, code: 'dns_not_found' } },
    });
    expect(cli('domain', 'verify', '--account', 'nobody').code).toBe(1);
    expect(JSON.parse(cli('domain', 'remove', '--account', other).out)).toMatchObject({ removed: { host } });

    expect(JSON.parse(cli('domain', 'remove', '--account', account).out)).toMatchObject({
      removed: { host: 't.muster-immobilien.de' },
    });
    expect(JSON.parse(cli('domain', 'list').out)).toEqual({ domains: [] });
  });
});
