import { createServer, type AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTrackableLinks, injectTracking, rewriteText } from '../../../src-main/core/compose';
import {
  appendToSent,
  buildMessage,
  findInSent,
  sendMail,
  testConnection,
  type BuildMessageInput,
  type MailAccount,
} from '../../../src-main/core/mail';
import {
  freePort,
  listMailboxes,
  readMailbox,
  startDovecot,
  startSmtpServer,
  type TestImapServer,
  type TestSmtpServer,
} from '../../support/mail-servers';
import { deText } from '../../support/messages';

const SELF_SIGNED = { allowSelfSigned: true, connectTimeoutMs: 5000 };
const HTML = `<!doctype html><html><body>
<p>Guten Tag Frau M&uuml;ller,</p>
<p>hier das Expos&eacute;: <a href="https://www.makler-beispiel.de/expose/4711?a=1&amp;b=2">Altbau</a>
und der <a href='https://www.makler-beispiel.de/grundriss.pdf'>Grundriss</a>.</p>
<!--[if mso]><a href="https://www.makler-beispiel.de/expose/4711?a=1&amp;b=2">VML</a><![endif]-->
<p><a href="https://www.makler-beispiel.de/nl/off">Abmelden</a></p>
</body></html>`;
const TEXT =
  'Exposé: https://www.makler-beispiel.de/expose/4711?a=1&b=2.\nGrundriss: https://www.makler-beispiel.de/grundriss.pdf\n';

let smtp: TestSmtpServer;
let imap: TestImapServer;

function account(
  over: {
    smtpPassword?: string;
    imapPassword?: string;
    smtpPort?: number;
    imapPort?: number;
    sentFolder?: string;
  } = {},
  server = imap,
): MailAccount {
  return {
    fromName: 'Petra Schäfer',
    fromEmail: 'makler@test.local',
    smtp: {
      host: smtp.host,
      port: over.smtpPort ?? smtp.port,
      security: 'starttls',
      user: smtp.user,
      password: over.smtpPassword ?? smtp.password,
    },
    imap: {
      host: server.host,
      port: over.imapPort ?? server.port,
      security: 'starttls',
      user: server.user,
      password: over.imapPassword ?? server.password,
      sentFolder: over.sentFolder,
    },
  };
}

function tracker(token: string, links: string[]) {
  return {
    pixelUrl: `https://c.test/o/${token}.gif`,
    links: links.map((url, i) => ({ url, trackedUrl: `https://c.test/c/${token}/${i}` })),
  };
}

const BASE: Omit<BuildMessageInput, 'html' | 'text'> = {
  from: { email: 'makler@test.local', name: 'Petra Schäfer' },
  to: [{ email: 'anna@kunde.test', name: 'Anna Beispiel' }, { email: 'ben@kunde.test' }],
  cc: [{ email: 'chef@makler.test', name: 'Chef' }],
  bcc: [{ email: 'archiv@makler.test' }],
  subject: 'Ihr Exposé – Altbau in Prenzlauer Berg',
  messageId: 'a1b2c3d4@blitz.test',
  date: new Date('2026-03-02T09:30:00Z'),
};

beforeAll(async () => {
  [smtp, imap] = await Promise.all([startSmtpServer(), startDovecot()]);
});
afterAll(async () => {
  await Promise.all([smtp?.close(), imap?.close()]);
});

describe('buildMessage', () => {
  it('writes From/To/Cc/Subject/Date and the caller’s Message-ID, but no Bcc', async () => {
    const built = await buildMessage({ ...BASE, html: HTML, text: TEXT });
    if (!built.ok) throw new Error(built.error.detail);
    expect(built.value.messageId).toBe('<a1b2c3d4@blitz.test>');
    const mail = await simpleParser(built.value.raw);
    expect(mail.messageId).toBe('<a1b2c3d4@blitz.test>');
    expect(mail.from?.value).toEqual([{ name: 'Petra Schäfer', address: 'makler@test.local' }]);
    expect(mail.subject).toBe(BASE.subject);
    expect(mail.date?.toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(mail.headers.get('cc')).toBeTruthy();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(built.value.raw.toString('latin1')).not.toMatch(/archiv@makler\.test/);
    expect(mail.html).toBe(HTML);
    expect(mail.text).toBe(TEXT);
  });

  it('keeps Bcc for the Sent copy and carries attachments', async () => {
    const built = await buildMessage({
      ...BASE,
      messageId: '<x@blitz.test>',
      text: 'Anbei',
      keepBcc: true,
      attachments: [
        {
          filename: 'Grundriss EG.pdf',
          contentType: 'application/pdf',
          content: Buffer.from('%PDF-1.4 test'),
        },
      ],
    });
    if (!built.ok) throw new Error(built.error.detail);
    const mail = await simpleParser(built.value.raw);
    expect(mail.bcc && !Array.isArray(mail.bcc) ? mail.bcc.text : '').toBe('archiv@makler.test');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['Grundriss EG.pdf', '%PDF-1.4 test'],
    ]);
  });

  it('refuses a Message-ID that is not one', async () => {
    const built = await buildMessage({ ...BASE, messageId: 'kein at', text: 'x' });
    expect(built.ok ? null : built.error.code).toBe('message_invalid');
  });
});

describe('sending over SMTP with STARTTLS and AUTH', () => {
  it('delivers the tracked message: pixel before </body>, links rewritten where they belong', async () => {
    const links = extractTrackableLinks(HTML, TEXT);
    expect(links).toEqual([
      'https://www.makler-beispiel.de/expose/4711?a=1&b=2',
      'https://www.makler-beispiel.de/grundriss.pdf',
    ]);
    const t = tracker('TOKENaaaaaaaaaaaaaaaaaaaaaa', links);
    const built = await buildMessage({
      ...BASE,
      html: injectTracking(HTML, t),
      text: rewriteText(TEXT, t.links),
    });
    if (!built.ok) throw new Error(built.error.detail);
    const before = smtp.received.length;
    const sent = await sendMail(
      account(),
      built.value.raw,
      { from: 'makler@test.local', to: ['anna@kunde.test'] },
      SELF_SIGNED,
    );
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    expect(sent.value.accepted).toEqual(['anna@kunde.test']);
    expect(sent.value.response).toMatch(/^250/);

    const got = smtp.received[before]!;
    expect(got).toMatchObject({
      mailFrom: 'makler@test.local',
      rcptTo: ['anna@kunde.test'],
      user: smtp.user,
      secure: true,
    });
    const mail = await simpleParser(got.raw);
    const html = String(mail.html);
    expect(html).toContain('<a href="https://c.test/c/TOKENaaaaaaaaaaaaaaaaaaaaaa/0">Altbau</a>');
    expect(html).toContain("<a href='https://c.test/c/TOKENaaaaaaaaaaaaaaaaaaaaaa/1'>Grundriss</a>");
    expect(html).toContain(
      '<!--[if mso]><a href="https://www.makler-beispiel.de/expose/4711?a=1&amp;b=2">VML</a><![endif]-->',
    );
    expect(html).toContain('<a href="https://www.makler-beispiel.de/nl/off">Abmelden</a>');
    expect(html).toMatch(
      /<\/p>\n<img src="https:\/\/c\.test\/o\/TOKENaaaaaaaaaaaaaaaaaaaaaa\.gif" width="1" height="1" alt="" style="[^"]+"><\/body><\/html>$/,
    );
    expect(mail.text).toBe(
      'Exposé: https://c.test/c/TOKENaaaaaaaaaaaaaaaaaaaaaa/0.\nGrundriss: https://c.test/c/TOKENaaaaaaaaaaaaaaaaaaaaaa/1\n',
    );
  });

  it('sends one transaction per recipient with identical visible headers and no Bcc header', async () => {
    const links = extractTrackableLinks(HTML);
    const recipients = ['anna@kunde.test', 'ben@kunde.test', 'chef@makler.test', 'archiv@makler.test'];
    const before = smtp.received.length;
    for (const [i, rcpt] of recipients.entries()) {
      const t = tracker(`TOKEN${i}bbbbbbbbbbbbbbbbbbbbb`, links);
      const built = await buildMessage({ ...BASE, html: injectTracking(HTML, t) });
      if (!built.ok) throw new Error(built.error.detail);
      const sent = await sendMail(
        account(),
        built.value.raw,
        { from: 'makler@test.local', to: [rcpt] },
        SELF_SIGNED,
      );
      expect(sent.ok).toBe(true);
    }
    const got = smtp.received.slice(before);
    expect(got.map((m) => m.rcptTo)).toEqual(recipients.map((r) => [r]));
    const visible = ['from', 'to', 'cc', 'subject', 'date', 'message-id'];
    const headerSets = await Promise.all(
      got.map(async (m) => {
        const mail = await simpleParser(m.raw);
        expect(mail.headers.has('bcc')).toBe(false);
        return visible.map((h) => JSON.stringify(mail.headers.get(h)));
      }),
    );
    for (const h of headerSets) expect(h).toEqual(headerSets[0]);
    const bodies = await Promise.all(got.map(async (m) => String((await simpleParser(m.raw)).html)));
    bodies.forEach((b, i) => expect(b).toContain(`/o/TOKEN${i}bbbbbbbbbbbbbbbbbbbbb.gif`));
  });
});

describe('filing the clean copy in Dovecot', () => {
  it('appends to the \\Sent mailbox, \\Seen, without pixel and with the original links', async () => {
    const built = await buildMessage({
      ...BASE,
      messageId: 'clean-1@blitz.test',
      html: HTML,
      text: TEXT,
      keepBcc: true,
    });
    if (!built.ok) throw new Error(built.error.detail);
    const filed = await appendToSent(account(), built.value.raw, SELF_SIGNED);
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    expect(filed.value.folder).toBe('Sent');

    const stored = await readMailbox(imap, 'Sent');
    const copy = stored.find((m) => m.raw.includes('clean-1@blitz.test'))!;
    expect(copy.flags).toContain('\\Seen');
    const mail = await simpleParser(copy.raw);
    expect(mail.html).toBe(HTML);
    expect(String(mail.html)).not.toContain('c.test');
    expect(mail.text).toBe(TEXT);
  });

  it('finds a filed message by Message-ID, and not one that was never filed', async () => {
    const built = await buildMessage({ ...BASE, messageId: '<dup-check@blitz.test>', text: 'x' });
    if (!built.ok) throw new Error(built.error.detail);
    expect(await findInSent(account(), 'dup-check@blitz.test', SELF_SIGNED)).toEqual({
      ok: true,
      value: { folder: 'Sent', found: false },
    });
    await appendToSent(account(), built.value.raw, SELF_SIGNED);
    expect(await findInSent(account(), '<dup-check@blitz.test>', SELF_SIGNED)).toEqual({
      ok: true,
      value: { folder: 'Sent', found: true },
    });
    expect(await findInSent(account(), 'dup-check@blitz', SELF_SIGNED)).toEqual({
      ok: true,
      value: { folder: 'Sent', found: false },
    });
  });

  it('finds "Gesendete Elemente" without special-use, and creates "Sent" when nothing fits', async () => {
    const [named, empty] = await Promise.all([
      startDovecot({ mailboxes: [{ name: 'Entwürfe' }, { name: 'Gesendete Elemente' }] }),
      startDovecot({ mailboxes: [{ name: 'Archiv' }] }),
    ]);
    try {
      const built = await buildMessage({ ...BASE, text: 'x' });
      if (!built.ok) throw new Error(built.error.detail);
      const a = await appendToSent(account({}, named), built.value.raw, SELF_SIGNED);
      expect(a).toEqual({ ok: true, value: { folder: 'Gesendete Elemente' } });
      expect(await readMailbox(named, 'Gesendete Elemente')).toHaveLength(1);

      expect(await findInSent(account({}, empty), BASE.messageId, SELF_SIGNED)).toMatchObject({
        ok: true,
        value: { found: false },
      });
      const b = await appendToSent(account({}, empty), built.value.raw, SELF_SIGNED);
      expect(b).toEqual({ ok: true, value: { folder: 'Sent' } });
      expect((await listMailboxes(empty)).map((m) => m.path)).toContain('Sent');
      expect(await readMailbox(empty, 'Sent')).toHaveLength(1);
    } finally {
      await Promise.all([named.close(), empty.close()]);
    }
  });
});

describe('failures map to Result codes', () => {
  const raw = Buffer.from('From: a@test.local\r\nTo: b@test.local\r\nSubject: x\r\n\r\nx\r\n');
  const env = { from: 'makler@test.local', to: ['anna@kunde.test'] };

  it('wrong SMTP password: smtp_auth_failed, permanent', async () => {
    const r = await sendMail(account({ smtpPassword: 'falsch' }), raw, env, SELF_SIGNED);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'smtp_auth_failed', transient: false });
    expect(r.ok ? '' : deText(r.error.message)).toMatch(/Passwort/);
  });

  it('closed SMTP port: smtp_unreachable, transient', async () => {
    const r = await sendMail(account({ smtpPort: await freePort() }), raw, env, SELF_SIGNED);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'smtp_unreachable', transient: true });
    expect(r.ok ? '' : r.error.detail).toMatch(/ECONNREFUSED/);
  });

  it('self-signed certificate without opting in: smtp_tls_certificate', async () => {
    const r = await sendMail(account(), raw, env, { connectTimeoutMs: 5000 });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'smtp_tls_certificate', transient: false });
  });

  it('5xx at RCPT TO is permanent, 4xx transient, with the server reply kept', async () => {
    smtp.rejectRecipient('weg@kunde.test', 550, 'Mailbox unavailable');
    smtp.rejectRecipient('voll@kunde.test', 452, 'Mailbox full, try later');
    const perm = await sendMail(account(), raw, { ...env, to: ['weg@kunde.test'] }, SELF_SIGNED);
    expect(perm.ok ? null : perm.error).toMatchObject({ code: 'smtp_rejected', transient: false });
    expect(perm.ok ? '' : deText(perm.error.message)).toMatch(/Empfängeradresse nicht/);
    expect(perm.ok ? '' : perm.error.detail).toMatch(/550.*Mailbox unavailable/);
    const temp = await sendMail(account(), raw, { ...env, to: ['voll@kunde.test'] }, SELF_SIGNED);
    expect(temp.ok ? null : temp.error).toMatchObject({ code: 'smtp_temporary_failure', transient: true });
    const mixed = await sendMail(
      account(),
      raw,
      { ...env, to: ['anna@kunde.test', 'weg@kunde.test'] },
      SELF_SIGNED,
    );
    expect(mixed.ok ? mixed.value : null).toMatchObject({
      accepted: ['anna@kunde.test'],
      rejected: ['weg@kunde.test'],
    });
  });

  it('a server that never greets: smtp_timeout, transient', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const r = await sendMail(account({ smtpPort: port }), raw, env, {
        ...SELF_SIGNED,
        connectTimeoutMs: 300,
      });
      expect(r.ok ? null : r.error).toMatchObject({ code: 'smtp_timeout', transient: true });
    } finally {
      silent.close();
    }
  });

  it('wrong IMAP password and closed IMAP port', async () => {
    const auth = await appendToSent(account({ imapPassword: 'falsch' }), raw, SELF_SIGNED);
    expect(auth.ok ? null : auth.error).toMatchObject({ code: 'imap_auth_failed', transient: false });
    const closed = await appendToSent(account({ imapPort: await freePort() }), raw, SELF_SIGNED);
    expect(closed.ok ? null : closed.error).toMatchObject({ code: 'imap_unreachable', transient: true });
  });
});

describe('implicit TLS (port 465 style)', () => {
  it('sends over TLS from the first byte', async () => {
    const tlsServer = await startSmtpServer({ secure: true });
    try {
      const acc = account();
      acc.smtp = {
        ...acc.smtp,
        port: tlsServer.port,
        security: 'tls',
        user: tlsServer.user,
        password: tlsServer.password,
      };
      const r = await sendMail(
        acc,
        Buffer.from('Subject: x\r\n\r\nx\r\n'),
        { from: 'makler@test.local', to: ['anna@kunde.test'] },
        SELF_SIGNED,
      );
      expect(r.ok).toBe(true);
      expect(tlsServer.received.map((m) => [m.secure, m.rcptTo])).toEqual([[true, ['anna@kunde.test']]]);
    } finally {
      await tlsServer.close();
    }
  });
});

describe('testConnection', () => {
  it('reports both servers in German, with the Sent folder', async () => {
    const r = await testConnection(account(), SELF_SIGNED);
    expect(r.smtp).toMatchObject({ ok: true, login: 'checked', detail: null });
    expect(deText(r.smtp.message)).toMatch(/Anmeldung erfolgreich/);
    expect(r.imap).toMatchObject({ ok: true, sentFolder: 'Sent' });
    expect(deText(r.imap.message)).toContain('„Sent“');
  });

  it('says what failed', async () => {
    const r = await testConnection(
      account({ smtpPassword: 'falsch', imapPort: await freePort() }),
      SELF_SIGNED,
    );
    expect(r.smtp.ok).toBe(false);
    expect(deText(r.smtp.message)).toMatch(/Anmeldung am SMTP-Server fehlgeschlagen/);
    expect(r.imap).toMatchObject({ ok: false, sentFolder: null });
    expect(deText(r.imap.message)).toMatch(/IMAP-Server 127\.0\.0\.1 lehnt die Verbindung auf Port \d+ ab/);
    // the raw reply stays available behind „Details“
    expect(r.smtp.detail).toMatch(/535/);
    expect(r.imap.detail).toMatch(/ECONNREFUSED/);
  });
});
