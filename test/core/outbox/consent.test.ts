import { describe, expect, it } from 'vitest';
import { readMailbox } from '../../support/mail-servers';
import { pixelToken } from './harness';
import { filed, useOutboxServers } from './stack';

/**
 * Issue 17, the desktop's side: the core obeys the collector's answer per recipient. A contact
 * „nie tracken“ gets the untracked body although the agent asked for tracking; „nur nach
 * Einwilligung“ without consent gets the consent link instead of pixel and tracked links; the
 * Sent copy carries neither. Real collector, smtp-server and Dovecot.
 */
const servers = useOutboxServers();
/** the copy the SMTP server received for one recipient of the activity */
function copyOf(id: string, email: string) {
  const m = servers.mailsOf(id).find((x) => x.rcpt[0]?.toLowerCase() === email);
  if (!m) throw new Error(`no copy for ${email}`);
  return m;
}
const withdrawalLink = (on: boolean) =>
  fetch(`${servers.col.url}/api/v1/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${servers.col.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ withdrawalLink: on }),
  });

describe('the outbox and consent per contact', () => {
  it('sends each recipient the copy the collector allows', async () => {
    const t = await servers.core();
    try {
      for (const [email, mode] of [
        ['nora@kunde.example', 'never'],
        ['paula@kunde.example', 'after_consent'],
      ] as const) {
        const r = await t.core.dispatch('consent.setMode', { email, mode });
        expect(r.ok && r.value.mode).toBe(mode);
      }
      const list = await t.core.dispatch('consent.contacts', {});
      expect(list.ok && list.value.contacts.map((c) => [c.email, c.mode])).toEqual([
        ['nora@kunde.example', 'never'],
        ['paula@kunde.example', 'after_consent'],
      ]);
      const r = await t.core.dispatch('compose.send', {
        to: ['anna@kunde.example', 'Nora@Kunde.example', 'paula@kunde.example'],
        subject: 'Exposé mit Einwilligung',
        html: '<p>Das Exposé: <a href="https://example.org/expose">ansehen</a></p>',
        text: 'Das Exposé: https://example.org/expose',
        track: true,
        sendIndividually: true,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await filed(t, id);
      const anna = copyOf(id, 'anna@kunde.example');
      expect(pixelToken(anna)).toBeDefined();
      expect(anna.html).toMatch(/\/c\/[A-Za-z0-9_-]+\/0/);
      expect(anna.html).not.toContain('Einwilligung erteilen');

      const nora = copyOf(id, 'nora@kunde.example');
      expect(pixelToken(nora)).toBeUndefined();
      expect(nora.html).toContain('href="https://example.org/expose"');
      expect(nora.html).not.toContain('/e/');

      const paula = copyOf(id, 'paula@kunde.example');
      expect(pixelToken(paula)).toBeUndefined();
      expect(paula.html).toContain('href="https://example.org/expose"');
      expect(paula.html).toMatch(/<a href="http:\/\/[^"]+\/e\/[A-Za-z0-9_-]+">Einwilligung erteilen<\/a>/);
      expect(paula.text).toMatch(/Einwilligung: http:\/\/\S+\/e\/[A-Za-z0-9_-]+/);

      // the clean copy in Sent: no pixel, no consent link
      const sentCopy = (await readMailbox(servers.imap, 'Sent'))
        .map((m) => m.raw.toString('utf8'))
        .find((raw) => raw.includes(id));
      expect(sentCopy).toBeDefined();
      expect(sentCopy).not.toContain('/o/');
      expect(sentCopy).not.toContain('/e/');
    } finally {
      await t.close();
    }
  });

  it('writes the notes under each copy in the language chosen for the send; the agent’s text stays as written', async () => {
    const t = await servers.core();
    try {
      const mode = await t.core.dispatch('consent.setMode', {
        email: 'paula@kunde.example',
        mode: 'after_consent',
      });
      expect(mode.ok).toBe(true);
      // the account's withdrawal link, switched on by its admin (the desktop here is an agent's)
      expect((await withdrawalLink(true)).status).toBe(200);
      const r = await t.core.dispatch('compose.send', {
        to: ['john@buyer.example', 'paula@kunde.example'],
        subject: 'Your exposé',
        html: '<p>Hier das Exposé: <a href="https://example.org/expose">ansehen</a></p>',
        text: 'Hier das Exposé: https://example.org/expose',
        track: true,
        sendIndividually: true,
        prospectLanguage: 'en',
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const id = r.value.activityId;
      await filed(t, id);
      // tracked: the withdrawal note in English, the agent's German words untouched
      const john = copyOf(id, 'john@buyer.example');
      expect(pixelToken(john)).toBeDefined();
      expect(john.html).toContain('This e-mail records whether it is opened and its links are clicked.');
      expect(john.html).toMatch(
        /<a href="http:\/\/[^"]+\/e\/[A-Za-z0-9_-]+\/widerruf">Withdraw tracking<\/a>/,
      );
      expect(john.text).toMatch(/Withdraw tracking: http:\/\/\S+\/e\/[A-Za-z0-9_-]+\/widerruf/);
      expect(john.html).toContain('Hier das Exposé');
      expect(john.html).not.toContain('Tracking widerrufen');
      // waiting for consent: the consent question in English
      const paula = copyOf(id, 'paula@kunde.example');
      expect(pixelToken(paula)).toBeUndefined();
      expect(paula.html).toMatch(/<a href="http:\/\/[^"]+\/e\/[A-Za-z0-9_-]+">Give consent<\/a>/);
      expect(paula.text).toContain('May we see whether our e-mails reach you');
      expect(paula.html).not.toContain('Einwilligung');
      // the next mail to them starts in English; with someone never written to, in German
      const lang = async (emails: string[]) => {
        const l = await t.core.dispatch('contacts.prospectLanguage', { emails });
        return l.ok ? l.value.language : 'failed';
      };
      expect(await lang(['John@buyer.example', 'paula@kunde.example'])).toBe('en');
      expect(await lang(['john@buyer.example', 'neu@kunde.example'])).toBeNull();
    } finally {
      await withdrawalLink(false);
      await t.close();
    }
  });

  it('an agent may not change the account’s consent switches: a German message says so', async () => {
    const t = await servers.core();
    try {
      const r = await t.core.dispatch('consent.setSettings', { trackOpens: false });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message.key).toBe('onlyAdminAccountSetting');
    } finally {
      await t.close();
    }
  });
});
