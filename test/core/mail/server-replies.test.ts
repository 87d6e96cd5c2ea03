import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainSmtpReply } from '../../../src-main/core/mail/errors';
import { sendMail, testConnection, type MailAccount } from '../../../src-main/core/mail';
import {
  freePort,
  startDovecot,
  startSmtpServer,
  type TestImapServer,
  type TestSmtpServer,
} from '../../support/mail-servers';
import { deText, enText } from '../../support/messages';

/**
 * Issue 12: the SMTP test tells a server without AUTH from a checked password, and server
 * replies are explained in words with the raw reply kept for „Details“. Real smtp-server and
 * Dovecot on loopback.
 */
const SELF_SIGNED = { allowSelfSigned: true, connectTimeoutMs: 5000 };
const GERMAN = /[äöüÄÖÜß„“]|\b(der|die|das|nicht|Bitte|Anmeldung|Verbindung|Server verlangt)\b/;

let smtp: TestSmtpServer;
let imap: TestImapServer;
let open: SMTPServer;
let openPort: number;

beforeAll(async () => {
  // a relay that advertises no AUTH at all: whatever password is typed is never looked at
  open = new SMTPServer({ authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false });
  open.on('error', () => undefined);
  await new Promise<void>((r) => open.listen(0, '127.0.0.1', () => r()));
  openPort = (open.server.address() as { port: number }).port;
  [smtp, imap] = await Promise.all([startSmtpServer(), startDovecot()]);
});
afterAll(async () => {
  await Promise.all([
    smtp?.close(),
    imap?.close(),
    new Promise<void>((r) => (open ? open.close(() => r()) : r())),
  ]);
});

const account = (over: Partial<MailAccount['smtp']> = {}): MailAccount => ({
  fromName: 'Petra Schäfer',
  fromEmail: 'makler@test.local',
  smtp: {
    host: smtp.host,
    port: smtp.port,
    security: 'starttls',
    user: smtp.user,
    password: smtp.password,
    ...over,
  },
  imap: { host: imap.host, port: imap.port, security: 'starttls', user: imap.user, password: imap.password },
});

describe('the SMTP connection test', () => {
  it('says the password was not checked when the server offers no login', async () => {
    const r = await testConnection(
      account({ port: openPort, security: 'none', password: 'irgendwas-falsches' }),
      SELF_SIGNED,
    );
    expect(r.smtp).toMatchObject({ ok: true, login: 'not_offered' });
    expect(deText(r.smtp.message)).toBe(
      `Verbindung zum SMTP-Server ${smtp.host} hergestellt. Der Server verlangt keine Anmeldung – das Passwort wurde nicht geprüft.`,
    );
    expect(deText(r.smtp.message)).not.toMatch(/Anmeldung (erfolgreich|in Ordnung)/);
    expect(enText(r.smtp.message)).toMatch(/does not ask for a login – the password was not checked/);
    expect(enText(r.smtp.message)).not.toMatch(GERMAN);
  });

  it('checks the password where the server offers AUTH, and a wrong one fails', async () => {
    const good = await testConnection(account(), SELF_SIGNED);
    expect(good.smtp).toMatchObject({ ok: true, login: 'checked' });
    expect(deText(good.smtp.message)).toMatch(/Anmeldung erfolgreich/);
    const bad = await testConnection(account({ password: 'falsch' }), SELF_SIGNED);
    expect(bad.smtp).toMatchObject({ ok: false, login: null });
    expect(bad.smtp.message.key).toBe('smtpAuthFailed');
    expect(bad.smtp.detail).toMatch(/535/);
  });

  it('explains a closed port in words, naming host and port, in German and English', async () => {
    const port = await freePort();
    const r = await testConnection(account({ port }), SELF_SIGNED);
    expect(r.smtp.ok).toBe(false);
    expect(deText(r.smtp.message)).toBe(
      `Der SMTP-Server ${smtp.host} lehnt die Verbindung auf Port ${port} ab. Bitte Servername und Port prüfen.`,
    );
    expect(enText(r.smtp.message)).not.toMatch(GERMAN);
    expect(r.smtp.detail).toMatch(/ECONNREFUSED/);
  });
});

describe('SMTP replies explained', () => {
  const raw = Buffer.from('From: makler@test.local\r\nTo: x@kunde.test\r\nSubject: t\r\n\r\nHallo\r\n');
  const env = { from: 'makler@test.local', to: ['x@kunde.test'] };

  it.each([
    [
      'unbekannt@kunde.test',
      550,
      '5.1.1 <unbekannt@kunde.test>: Recipient address rejected: User unknown',
      'smtpMailboxUnavailable',
      false,
    ],
    ['voll@kunde.test', 552, '5.2.2 Mailbox full', 'smtpMailboxFull', false],
    ['spam@kunde.test', 554, '5.7.1 Message rejected as spam', 'smtpPolicyRejected', false],
    ['relay@fremd.test', 554, '5.7.1 Relay access denied', 'smtpRelayDenied', false],
    ['spaeter@kunde.test', 451, '4.7.1 Greylisted, please try again later', 'smtpTemporary', true],
  ] as const)('RCPT %s → %s', async (rcpt, code, reply, key, transient) => {
    smtp.rejectRecipient(rcpt, code, reply);
    const r = await sendMail(account(), raw, { ...env, to: [rcpt] }, SELF_SIGNED);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.key).toBe(key);
    expect(r.error.transient).toBe(transient);
    // the explanation never shows the raw reply; the detail keeps it verbatim
    expect(deText(r.error.message)).not.toContain(reply);
    expect(r.error.detail).toContain(reply);
    expect(enText(r.error.message)).not.toMatch(GERMAN);
  });

  it('reads the enhanced status code before the basic one', () => {
    expect(explainSmtpReply(550, '550 5.7.1 Client host rejected: Access denied, relay not permitted')).toBe(
      'smtpRelayDenied',
    );
    expect(explainSmtpReply(535, '535 5.7.8 Error: authentication failed')).toBe('smtpAuthFailed');
    expect(explainSmtpReply(530, '530 5.7.0 Must issue a STARTTLS command first')).toBe('smtpTlsRequired');
    expect(explainSmtpReply(552, '552 5.3.4 Message size exceeds fixed limit')).toBe('smtpMessageTooBig');
    expect(explainSmtpReply(421, '421 4.3.2 Service not available, closing channel')).toBe(
      'smtpServiceUnavailable',
    );
    expect(explainSmtpReply(553, '553 5.1.8 Sender address rejected: Domain not found')).toBe(
      'smtpSenderRejected',
    );
  });
});
