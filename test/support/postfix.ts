/**
 * A private Postfix on loopback for the mailbox tests (issue 19): its own config_directory,
 * queue_directory and data_directory in a temp folder, smtpd on a free 127.0.0.1 port, never
 * /etc/postfix or the system's queue. It accepts mail for `domain` from loopback without AUTH and
 * delivers it with Postfix's `virtual` agent into maildirs Dovecot reads (`mailDir/<address>`,
 * the layout of test/support/mail-servers.ts). Mail to an address of `domain` that has no mailbox
 * is accepted at SMTP time and then fails in delivery, so Postfix itself writes a real RFC 3464
 * bounce (multipart/report) back to the sender: the very form an agent's provider sends.
 *
 * Needs the Debian package postfix (installed with "No configuration" by .ci/run) and root, as
 * Postfix's daemons switch to the `postfix` user and its setgid `postdrop` group.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './mail-servers';

const run = promisify(execFile);
export const POSTFIX_BIN = '/usr/sbin/postfix';

export interface TestPostfix {
  host: string;
  port: number;
  domain: string;
  dir: string;
  log(): string;
  /** waits until the queue is empty (every mail delivered or bounced) */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface PostfixOptions {
  /** the domain Postfix delivers for */
  domain: string;
  /** Dovecot's maildir root (TestImapServer.dir + '/mail') */
  mailDir: string;
  /** addresses that have a mailbox: delivered into mailDir/<address>/ */
  mailboxes: string[];
  /** owner of the delivered files: Dovecot's mail user (65534 as root) */
  uid: number;
  gid: number;
}

export async function startPostfix(opts: PostfixOptions): Promise<TestPostfix> {
  if (!existsSync(POSTFIX_BIN)) throw new Error(`${POSTFIX_BIN} missing: apt-get install postfix`);
  if (process.getuid?.() !== 0) throw new Error('the private Postfix of the mailbox tests needs root');
  const dir = mkdtempSync(join(tmpdir(), 'blitz-postfix-'));
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  // Postfix's daemons run as `postfix`: they must reach the queue, and own the data folder
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'queue'));
  mkdirSync(join(dir, 'data'));
  const pf = postfixIds();
  chownSync(join(dir, 'data'), pf.uid, pf.gid);
  const port = await freePort();
  const mailboxMap = join(etc, 'mailboxes');
  writeFileSync(mailboxMap, opts.mailboxes.map((a) => `${a} ${a}/`).join('\n') + '\n');
  const main = [
    'compatibility_level = 3.6',
    `queue_directory = ${join(dir, 'queue')}`,
    `data_directory = ${join(dir, 'data')}`,
    'command_directory = /usr/sbin',
    'daemon_directory = /usr/lib/postfix/sbin',
    'shlib_directory = /usr/lib/postfix',
    'meta_directory = /etc/postfix',
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `syslog_name = blitz-postfix-${port}`,
    // no syslog here: Postfix's own log file (its folder must be one of the allowed prefixes)
    `maillog_file_prefixes = /var, /dev/stdout, ${dir}`,
    `maillog_file = ${join(dir, 'maillog')}`,
    'myhostname = mx.blitz.test',
    `mydomain = ${opts.domain}`,
    `myorigin = ${opts.domain}`,
    'mydestination =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    // accept unknown recipients, so the delivery fails and Postfix writes a real bounce
    'smtpd_reject_unlisted_recipient = no',
    `virtual_mailbox_domains = ${opts.domain}`,
    `virtual_mailbox_base = ${opts.mailDir}`,
    `virtual_mailbox_maps = texthash:${mailboxMap}`,
    `virtual_uid_maps = static:${opts.uid}`,
    `virtual_gid_maps = static:${opts.gid}`,
    `virtual_minimum_uid = ${Math.min(opts.uid, 1)}`,
    'alias_maps =',
    'alias_database =',
    'biff = no',
    'smtputf8_enable = no',
    // loopback only, nothing may leave: no relayhost, no DNS
    'default_transport = error:no outside delivery in tests',
    'disable_dns_lookups = yes',
    'smtp_host_lookup = native',
    'queue_run_delay = 1s',
    'minimal_backoff_time = 1s',
    'maximal_backoff_time = 2s',
    'bounce_queue_lifetime = 0',
    'delay_warning_time = 0',
  ].join('\n');
  writeFileSync(join(etc, 'main.cf'), main + '\n');
  const master = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'virtual unix - n n - - virtual',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ].join('\n');
  writeFileSync(join(etc, 'master.cf'), master + '\n');

  const env = { ...process.env, MAIL_CONFIG: etc };
  // creates the queue's folders with their owners and modes
  await run(POSTFIX_BIN, ['-c', etc, 'check'], { env });
  const child: ChildProcess = spawn(POSTFIX_BIN, ['-c', etc, 'start-fg'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const log = (): string =>
    output + (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : '');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = log();
      if (!process.env.BLITZ_KEEP_POSTFIX) rmSync(dir, { recursive: true, force: true });
      throw new Error(`postfix did not start (${dir}, exit ${child.exitCode}):\n${text}`);
    }
    if (await greets(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`postfix did not answer on ${port}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    domain: opts.domain,
    dir,
    log,
    async drain(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { stdout } = await run('/usr/sbin/postqueue', ['-c', etc, '-p'], { env }).catch(() => ({
          stdout: '',
        }));
        if (/Mail queue is empty/.test(stdout)) return;
        if (Date.now() > until) throw new Error(`postfix queue not empty:\n${stdout}\n${log()}`);
        await run('/usr/sbin/postqueue', ['-c', etc, '-f'], { env }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    async close() {
      await run(POSTFIX_BIN, ['-c', etc, 'stop'], { env }).catch(() => undefined);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function greets(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const done = (v: boolean): void => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (d) => done(d.toString().startsWith('220')));
  });
}

function postfixIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postfix:'));
  if (!line) throw new Error('no postfix user: apt-get install postfix');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
