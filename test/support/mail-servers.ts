/**
 * Real mail servers on loopback for tests: a receiving SMTP server (smtp-server: AUTH PLAIN/LOGIN,
 * STARTTLS with a self-signed certificate) and a Dovecot IMAP server, both on free ports, torn
 * down by their close(). Nothing is mocked: the code under test talks the real protocols.
 *
 * Dovecot needs the Debian package dovecot-imapd (binary /usr/sbin/dovecot) and openssl. Its
 * configuration is generated into a temp dir (base_dir, state_dir, logs and maildirs inside it),
 * so it never touches /etc/dovecot or /var/run. As root (here and in CI) the mail processes run as
 * `nobody` and the login processes as Dovecot's own users; as a non-root user everything runs as
 * that user (no chroot), which Dovecot supports for unprivileged test instances.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

const run = promisify(execFile);

export interface TlsMaterial {
  dir: string;
  keyPath: string;
  certPath: string;
  key: Buffer;
  cert: Buffer;
}

/** A throwaway self-signed certificate for localhost / 127.0.0.1. */
export async function makeSelfSignedCert(dir: string): Promise<TlsMaterial> {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { dir, keyPath, certPath, key: readFileSync(keyPath), cert: readFileSync(certPath) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- SMTP

export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  user: string | undefined;
  secure: boolean;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  user: string;
  password: string;
  received: ReceivedMessage[];
  /** recipients answered with this reply at RCPT TO, e.g. `['bounce@x.test', 550]` */
  rejectRecipient(address: string, code: number, message?: string): void;
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  user?: string;
  password?: string;
  /** implicit TLS instead of STARTTLS */
  secure?: boolean;
  tls?: TlsMaterial;
}

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const user = opts.user ?? 'makler@test.local';
  const password = opts.password ?? 'smtp-geheim';
  const tmp = opts.tls ? null : mkdtempSync(join(tmpdir(), 'blitz-smtp-'));
  const tls = opts.tls ?? (await makeSelfSignedCert(tmp!));
  const received: ReceivedMessage[] = [];
  const rejections = new Map<string, { code: number; message: string }>();

  const server = new SMTPServer({
    secure: opts.secure ?? false,
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only after STARTTLS (smtp-server's default), like any real submission server
    allowInsecureAuth: false,
    logger: false,
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const r = rejections.get(address.address.toLowerCase());
      if (r) cb(Object.assign(new Error(r.message), { responseCode: r.code }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
        });
        cb(null);
      });
    },
  });
  server.on('error', () => {
    // client disconnects and TLS failures of negative tests: the test asserts on the client side
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    received,
    rejectRecipient(address, code, message = `${code} recipient rejected`) {
      rejections.set(address.toLowerCase(), { code, message });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- IMAP (Dovecot)

export interface TestImapServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** Dovecot's log, for a failing test to print */
  log(): string;
  close(): Promise<void>;
}

export interface DovecotOptions {
  user?: string;
  password?: string;
  /** mailboxes Dovecot creates at login, with their special-use flag if any */
  mailboxes?: { name: string; specialUse?: string }[];
  tls?: TlsMaterial;
}

export const DOVECOT_BIN = '/usr/sbin/dovecot';

export async function startDovecot(opts: DovecotOptions = {}): Promise<TestImapServer> {
  if (!existsSync(DOVECOT_BIN)) throw new Error(`${DOVECOT_BIN} missing: apt-get install dovecot-imapd`);
  const user = opts.user ?? 'makler@test.local';
  const password = opts.password ?? 'imap-geheim';
  const dir = mkdtempSync(join(tmpdir(), 'blitz-dovecot-'));
  const tls = opts.tls ?? (await makeSelfSignedCert(dir));
  const root = process.getuid?.() === 0;
  const me = userInfo();
  // as root: mail processes must not run as root, `nobody` owns the maildirs
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;

  chmodSync(dir, 0o755);
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  if (root) chownSync(mailDir, mailUid, mailGid);
  for (const sub of ['run', 'state']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);

  const mailboxes = (opts.mailboxes ?? [{ name: 'Sent', specialUse: '\\Sent' }])
    .map(
      (m) =>
        `  mailbox "${m.name}" {\n    auto = subscribe\n${m.specialUse ? `    special_use = ${m.specialUse}\n` : ''}  }`,
    )
    .join('\n');

  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `instance_name = blitz-test-${port}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      `log_path = ${dir}/dovecot.log`,
      'auth_verbose = no',
      'auth_mechanisms = plain login',
      'disable_plaintext_auth = no',
      'ssl = yes',
      `ssl_cert = <${tls.certPath}`,
      `ssl_key = <${tls.keyPath}`,
      existsSync('/usr/share/dovecot/dh.pem') ? 'ssl_dh = </usr/share/dovecot/dh.pem' : '',
      `mail_location = maildir:${mailDir}/%u`,
      `mail_uid = ${mailUid}`,
      `mail_gid = ${mailGid}`,
      `first_valid_uid = ${Math.min(mailUid, 500)}`,
      root ? '' : `default_internal_user = ${me.username}`,
      root ? '' : `default_login_user = ${me.username}`,
      root ? '' : `default_internal_group = ${groupName(me.gid)}`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=${mailUid} gid=${mailGid} home=${mailDir}/%u\n}`,
      `namespace inbox {\n  inbox = yes\n  separator = /\n${mailboxes}\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n${root ? '' : '  chroot =\n'}}`,
      // negative tests log in with wrong passwords: no failure delay, no per-IP auth penalty
      'auth_failure_delay = 0',
      `service anvil {\n${root ? '' : '  chroot =\n'}  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}`,
      'service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
    ].join('\n');
    const confPath = join(dir, 'dovecot.conf');
    writeFileSync(confPath, conf + '\n');

    const child = spawn(DOVECOT_BIN, ['-F', '-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const log = () =>
      output + (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '');
    const up = await waitForGreeting(port, child, 10_000);
    if (!up) {
      await stop(child);
      if (attempt < 2) continue; // the free port was taken in between: try another
      const text = log();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start:\n${text}`);
    }
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      dir,
      log,
      async close() {
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Dovecot wants group names; /etc/group is the one place both glibc and Dovecot agree on. */
function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

async function waitForGreeting(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    const greeted = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      const done = (v: boolean) => {
        sock.destroy();
        resolve(v);
      };
      sock.setTimeout(1000, () => done(false));
      sock.once('error', () => done(false));
      sock.once('data', (d) => done(d.toString().startsWith('* OK')));
    });
    if (greeted) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------- reading back

export interface StoredMessage {
  uid: number;
  flags: string[];
  raw: Buffer;
}

/** Every message of a mailbox, oldest first, read over IMAP (STARTTLS, self-signed accepted). */
export async function readMailbox(server: TestImapServer, mailbox: string): Promise<StoredMessage[]> {
  const client = await imapClient(server);
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true });
    try {
      const out: StoredMessage[] = [];
      if (client.mailbox && client.mailbox.exists > 0) {
        for await (const m of client.fetch('1:*', { uid: true, flags: true, source: true })) {
          out.push({ uid: m.uid, flags: [...(m.flags ?? [])], raw: m.source ?? Buffer.alloc(0) });
        }
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** The mailboxes with their special-use flags. */
export async function listMailboxes(
  server: TestImapServer,
): Promise<{ path: string; specialUse?: string }[]> {
  const client = await imapClient(server);
  try {
    return (await client.list()).map((b) => ({ path: b.path, specialUse: b.specialUse }));
  } finally {
    await client.logout();
  }
}

async function imapClient(server: TestImapServer): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: true,
    auth: { user: server.user, pass: server.password },
    tls: { rejectUnauthorized: false },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}
