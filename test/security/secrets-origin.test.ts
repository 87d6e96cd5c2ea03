import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailAccountInput, SettingsDto, TestConnectionResult } from '../../src-shared/ipc';
import type { Result } from '../../src-shared/result';
import { openCache } from '../../src-main/core/cache';
import { createFileSecretStore } from '../../src-main/core/secrets/file-store';
import { KEYS, SECRET_KEYS, stripPasswords } from '../../src-main/core/settings';
import { quietLog, startTestCore, tempDir, type TestCore } from '../core/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { deText } from '../support/messages';

/**
 * Finding 2 of issue 14: a stored secret followed a changed address. Every server here is real
 * and records what it was sent: smtp-server logs each AUTH, a TCP stand-in for IMAP logs every
 * byte, an HTTP server logs every Authorization header. The stored secrets must reach only the
 * address (scheme, host, port, user) they were saved for.
 */
const SMTP_SECRET = 'SMTP-OLD-7311';
const IMAP_SECRET = 'IMAP-OLD-7312';
const USER = 'makler@test.local';

interface CapturingSmtp {
  port: number;
  auths: { user: string; password: string }[];
  close(): Promise<void>;
}

async function capturingSmtp(host: string, port = 0): Promise<CapturingSmtp> {
  const auths: CapturingSmtp['auths'] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _s, cb) {
      auths.push({ user: auth.username ?? '', password: auth.password ?? '' });
      cb(null, { user: auth.username });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(port, host, () => ok());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    auths,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

interface CapturingImap {
  port: number;
  /** every byte a client sent, as text */
  seen(): string;
  close(): Promise<void>;
}

/** Just enough IMAP to be logged in to: a greeting, CAPABILITY, and NO to everything else. */
async function capturingImap(host: string, port = 0): Promise<CapturingImap> {
  let seen = '';
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    let buf = '';
    // the tag of an AUTHENTICATE waiting for its continuation line (the base64 credentials)
    let authenticating: string | null = null;
    socket.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) !== -1) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (authenticating) {
          socket.write(`${authenticating} NO [AUTHENTICATIONFAILED] nope\r\n`);
          authenticating = null;
          continue;
        }
        const [tag, cmd, arg, initial] = line.split(' ');
        if (!tag || !cmd) continue;
        if (cmd.toUpperCase() === 'AUTHENTICATE' && arg && !initial) {
          authenticating = tag;
          socket.write('+ \r\n');
          continue;
        }
        if (cmd.toUpperCase() === 'CAPABILITY')
          socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
        else if (cmd.toUpperCase() === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else socket.write(`${tag} NO [AUTHENTICATIONFAILED] nope\r\n`);
      }
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(port, host, () => ok());
  });
  return {
    port: (server.address() as AddressInfo).port,
    seen: () => seen,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

function leaked(text: string, secret: string): boolean {
  return (
    text.includes(secret) ||
    text.includes(Buffer.from(`\0${USER}\0${secret}`).toString('base64')) ||
    text.includes(Buffer.from(secret).toString('base64'))
  );
}

interface CapturingHttp {
  url: string;
  authorizations: string[];
  close(): Promise<void>;
}

async function capturingHttp(host = '127.0.0.1', redirectTo?: () => string): Promise<CapturingHttp> {
  const authorizations: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    if (redirectTo) {
      res.writeHead(302, { location: `${redirectTo()}${req.url ?? '/'}` });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((ok) => server.listen(0, host, () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    authorizations,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

let core: TestCore;
let home: CapturingSmtp;
let homeImap: CapturingImap;
const others: { close(): Promise<void> }[] = [];
let collector: TestCollector;

beforeAll(async () => {
  home = await capturingSmtp('127.0.0.1');
  homeImap = await capturingImap('127.0.0.1');
  collector = await startTestCollector();
  core = await startTestCore({
    mailOptions: { allowSelfSigned: true, connectTimeoutMs: 3_000, socketTimeoutMs: 5_000 },
  });
});
afterAll(async () => {
  await core?.close();
  await home?.close();
  await homeImap?.close();
  for (const o of others) await o.close();
  await collector?.close();
});

function account(
  over: { smtp?: Partial<MailAccountInput['smtp']>; imap?: Partial<MailAccountInput['imap']> } = {},
): MailAccountInput {
  return {
    fromName: 'Maria Makler',
    fromEmail: USER,
    smtp: { host: '127.0.0.1', port: home.port, security: 'none', user: USER, ...over.smtp },
    imap: { host: '127.0.0.1', port: homeImap.port, security: 'none', user: USER, ...over.imap },
  };
}

async function testAccount(input: MailAccountInput): Promise<TestConnectionResult> {
  const r = (await core.core.dispatch('settings.testMailAccount', input)) as Result<TestConnectionResult>;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function settings(): Promise<SettingsDto> {
  const r = (await core.core.dispatch('settings.get', {})) as Result<SettingsDto>;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('mail passwords are bound to the server they were saved for', () => {
  it('saves the account, and the same address without a password still uses the stored ones', async () => {
    const saved = await core.core.dispatch('settings.saveMailAccount', {
      ...account(),
      smtp: { ...account().smtp, password: SMTP_SECRET },
      imap: { ...account().imap, password: IMAP_SECRET },
    });
    expect(saved.ok).toBe(true);
    const report = await testAccount(account());
    expect(report.smtp.ok, JSON.stringify(report)).toBe(true);
    expect(home.auths).toContainEqual({ user: USER, password: SMTP_SECRET });
    expect(leaked(homeImap.seen(), IMAP_SECRET), homeImap.seen()).toBe(true);
  });

  it('does not send them to a new host, port, user or security mode', async () => {
    const otherHostSmtp = await capturingSmtp('127.0.0.2', home.port).catch(() => capturingSmtp('127.0.0.2'));
    const otherHostImap = await capturingImap('127.0.0.2', homeImap.port).catch(() =>
      capturingImap('127.0.0.2'),
    );
    const otherPortSmtp = await capturingSmtp('127.0.0.1');
    const otherPortImap = await capturingImap('127.0.0.1');
    others.push(otherHostSmtp, otherHostImap, otherPortSmtp, otherPortImap);
    home.auths.length = 0;
    const homeImapBefore = homeImap.seen().length;

    const variants: [string, MailAccountInput][] = [
      [
        'host',
        account({
          smtp: { host: '127.0.0.2', port: otherHostSmtp.port },
          imap: { host: '127.0.0.2', port: otherHostImap.port },
        }),
      ],
      ['host spelling', account({ smtp: { host: 'localhost' }, imap: { host: 'localhost' } })],
      ['port', account({ smtp: { port: otherPortSmtp.port }, imap: { port: otherPortImap.port } })],
      ['user', account({ smtp: { user: 'someone@else.example' }, imap: { user: 'someone@else.example' } })],
      ['security', account({ smtp: { security: 'starttls' }, imap: { security: 'starttls' } })],
    ];
    for (const [name, input] of variants) {
      const report = await testAccount(input);
      expect(report.smtp.ok, name).toBe(false);
      expect(deText(report.smtp.message), name).toMatch(/Passwort/);
      expect(report.imap.ok, name).toBe(false);
      expect(deText(report.imap.message), name).toMatch(/Passwort/);
    }
    for (const s of [home, otherHostSmtp, otherPortSmtp]) {
      expect(s.auths.map((a) => a.password)).not.toContain(SMTP_SECRET);
    }
    for (const text of [homeImap.seen().slice(homeImapBefore), otherHostImap.seen(), otherPortImap.seen()]) {
      expect(leaked(text, IMAP_SECRET)).toBe(false);
    }
  });

  it('drops the stored password when the account is saved for another address, and asks again', async () => {
    const other = await capturingSmtp('127.0.0.1');
    others.push(other);
    const moved = account({ smtp: { port: other.port } });
    expect((await core.core.dispatch('settings.saveMailAccount', moved)).ok).toBe(true);
    let s = await settings();
    expect(s.mailAccount?.smtp.hasPassword).toBe(false);
    // the IMAP side did not move: its password stays
    expect(s.mailAccount?.imap.hasPassword).toBe(true);
    // moving back does not bring the dropped password back
    expect((await core.core.dispatch('settings.saveMailAccount', account())).ok).toBe(true);
    s = await settings();
    expect(s.mailAccount?.smtp.hasPassword).toBe(false);
    home.auths.length = 0;
    const report = await testAccount(account());
    expect(report.smtp.ok).toBe(false);
    expect(home.auths.map((a) => a.password)).not.toContain(SMTP_SECRET);
    expect(other.auths.map((a) => a.password)).not.toContain(SMTP_SECRET);
  });
});

describe('the collector token is bound to the collector it was saved for', () => {
  it('uses the stored token for the same collector, never for another address', async () => {
    const first = await core.core.dispatch('settings.saveCollector', {
      url: collector.url,
      token: collector.agentToken,
    });
    expect(first.ok).toBe(true);
    // same origin, no token: the stored one is used
    const again = await core.core.dispatch('settings.saveCollector', { url: `${collector.url}/` });
    expect(again.ok).toBe(true);

    const port = new URL(collector.url).port;
    const otherPort = await capturingHttp('127.0.0.1');
    const otherHost = await capturingHttp('127.0.0.2');
    others.push(otherPort, otherHost);
    for (const url of [otherPort.url, otherHost.url, `http://localhost:${port}`]) {
      const r = await core.core.dispatch('settings.saveCollector', { url });
      expect(r.ok, url).toBe(false);
      expect(r.ok ? '' : r.error.code, url).toBe('collector_token_missing');
    }
    for (const cap of [otherPort, otherHost]) {
      expect(cap.authorizations.filter((a) => a.includes(collector.agentToken))).toEqual([]);
    }
    expect((await settings()).collector?.url).toBe(collector.url);
  });

  it('does not follow a redirect with the token', async () => {
    const target = await capturingHttp('127.0.0.1');
    const redirector = await capturingHttp('127.0.0.1', () => target.url);
    others.push(target, redirector);
    const r = await core.core.dispatch('settings.saveCollector', {
      url: redirector.url,
      token: 'blz_given-for-the-redirector',
    });
    expect(r.ok).toBe(false);
    expect(redirector.authorizations.length).toBeGreaterThan(0);
    expect(target.authorizations.filter((a) => a.includes('blz_'))).toEqual([]);
  });

  it.each([
    'file:///etc/passwd',
    'data:text/plain,hello',
    'javascript:alert(1)',
    'ftp://collector.example/',
    'http://collector.example/',
    'http://10.0.0.5:8080/',
  ])('refuses %s as a collector address with a German reason', async (url) => {
    const r = await core.core.dispatch('settings.saveCollector', { url, token: 'blz_whatever' });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error.code).toBe('collector_url_not_allowed');
    expect(r.ok ? '' : deText(r.error.message)).toMatch(/https:\/\//);
  });

  it.each(['http://127.0.0.1:9/', 'http://localhost:9/', 'http://[::1]:9/', 'https://collector.invalid/'])(
    'accepts %s as an address (then fails only to reach it)',
    async (url) => {
      const r = await core.core.dispatch('settings.saveCollector', { url, token: 'blz_whatever' });
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.error.code).not.toBe('collector_url_not_allowed');
    },
  );
});

describe('secrets stored before they were bound', () => {
  it('are bound once to the addresses saved beside them, and to nothing else', async () => {
    const dataDir = tempDir('blitz-sec-legacy-');
    const cache = openCache(join(dataDir, 'cache.sqlite'));
    cache.meta.set(KEYS.mailAccount, stripPasswords(account()));
    cache.close();
    const plain = createFileSecretStore(join(dataDir, 'secrets.json'), quietLog);
    await plain.set(SECRET_KEYS.smtpPassword, SMTP_SECRET);
    await plain.set(SECRET_KEYS.imapPassword, IMAP_SECRET);
    // a token without a saved collector URL belongs to nothing: dropped
    await plain.set(SECRET_KEYS.collectorToken, 'blz_orphan');

    const legacy = await startTestCore(
      { mailOptions: { allowSelfSigned: true, connectTimeoutMs: 3_000, socketTimeoutMs: 5_000 } },
      dataDir,
    );
    try {
      const s = (await legacy.core.dispatch('settings.get', {})) as Result<SettingsDto>;
      expect(s.ok && s.value.mailAccount?.smtp.hasPassword).toBe(true);
      expect(s.ok && s.value.mailAccount?.imap.hasPassword).toBe(true);
      home.auths.length = 0;
      const same = (await legacy.core.dispatch(
        'settings.testMailAccount',
        account(),
      )) as Result<TestConnectionResult>;
      expect(same.ok && same.value.smtp.ok).toBe(true);
      expect(home.auths).toContainEqual({ user: USER, password: SMTP_SECRET });
      home.auths.length = 0;
      const moved = (await legacy.core.dispatch(
        'settings.testMailAccount',
        account({ smtp: { host: 'localhost' } }),
      )) as Result<TestConnectionResult>;
      expect(moved.ok && moved.value.smtp.ok).toBe(false);
      expect(home.auths.map((a) => a.password)).not.toContain(SMTP_SECRET);
      expect(await plain.get(SECRET_KEYS.collectorToken)).toBeNull();
    } finally {
      await legacy.close();
    }
  });
});
