import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from '@playwright/test';
import { pdfTextLines } from '../test/core/offers/pdf-text';
import { projectFiles, projectXml } from '../test/fixtures/openimmo/files';
import type { TestSmtpServer } from '../test/support/mail-servers';
import type { RecipientSide } from '../test/support/e2e-stack';
import { connectAgent, prospectContext } from './support/agent-setup';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * „Angebot senden“ end to end: the agent imports the OpenImmo Neubauprojekt in Objekte and sends
 * it to a prospect; the prospect opens the landing page from the delivered e-mail and does
 * every tracked action; the desktop feed shows each with the prospect's name, in order.
 */
test.use({ stack: 'offer' });
test.describe.configure({ mode: 'serial' });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };

let smtp: TestSmtpServer;
let recipient: RecipientSide;
let page: Page;
let prospect: BrowserContext;
let delivered: ParsedMail;
let deliveredHtml: string;
/** the prospect's landing page and the legal sentences exactly as the form showed them */
let landingUrl: string;
let shownWordings: string[] = [];

test.beforeAll(async ({ browser, agentPage, app, collector, smtp: s, imap, recipient: r }) => {
  smtp = s;
  recipient = r;
  page = agentPage;
  await connectAgent(
    { app, collector, smtp, imap, page },
    { name: 'Katrin Sommer', email: 'k.sommer@sommer-immobilien.example' },
  );
  prospect = await prospectContext(browser, '198.51.100.23', {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    acceptDownloads: true,
  });
});

test.afterAll(async () => {
  await prospect?.close();
});

test.describe('Objekte and „Angebot senden“ through the browser host', () => {
  test('the agent enters their details for the Widerrufsbelehrung and imports the OpenImmo project', async () => {
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties-tab-legal').click();
    await expect.poll(() => page.getByTestId('legal-missing').innerText()).toContain('Anschrift des Maklers');
    await page.getByTestId('legal-company').fill('Sommer Immobilien GmbH');
    await page.getByTestId('legal-address').fill('Lindenthaler Straße 40, 04155 Leipzig');
    await page.getByTestId('legal-phone').fill('+49 341 123 456 78');
    await page.getByTestId('legal-save-profile').click();
    await expect.poll(() => page.getByTestId('legal-missing').count()).toBe(0);
    await screenshot(page, 'offer-00-widerrufsbelehrung');

    await page.getByTestId('properties-tab-objects').click();
    await page.getByTestId('openimmo-input').setInputFiles([
      { name: 'neubauprojekt.xml', mimeType: 'application/xml', buffer: Buffer.from(projectXml()) },
      ...[...projectFiles()].map(([name, buffer]) => ({
        name,
        mimeType: name.endsWith('.pdf') ? 'application/pdf' : 'image/png',
        buffer,
      })),
    ]);
    await expect.poll(() => page.getByTestId('property-row').count()).toBe(1);
    // every import answers with its report (issue 13)
    await page.getByTestId('import-report-close').click();
    const form = page.getByTestId('property-form');
    await expect.poll(() => form.getByTestId('property-title').inputValue()).toContain('Gohliser Gärten');
    expect(await form.getByTestId('unit-row').count()).toBe(5);
    expect(await form.getByTestId('property-file').count()).toBe(6);
    await screenshot(page, 'offer-01-objekte');

    // the links point at the agent's website (here: a server on loopback)
    const urls = form.getByLabel('Adresse (https://…)');
    await urls.nth(0).fill(`${recipient.origin}/rundgang/gohliser-gaerten`);
    await urls.nth(1).fill(`${recipient.origin}/karte/gohliser-gaerten`);
    await form.getByTestId('property-save').click();
    await form.getByText('Gespeichert.').waitFor();
    await form.getByTestId('units-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-02-property-form');
  });

  test('sends the offer; the prospect gets their own e-mail with the Widerrufsbelehrung in body and PDF', async () => {
    await page.getByTestId('offer-open').click();
    const dialog = page.getByTestId('offer-dialog');
    await dialog.getByTestId('offer-to').fill(`${ANNA.name} <${ANNA.email}>`);
    await dialog.getByTestId('offer-to').press('Enter');
    await dialog
      .getByTestId('offer-intro')
      .fill('wie besprochen sende ich Ihnen unser Neubauprojekt in Gohlis.');
    await expect
      .poll(() => dialog.locator('.preview-text').innerText())
      .toContain('Guten Tag Anna Beispiel,');
    expect(await dialog.locator('.preview-text').innerText()).toContain('Muster-Widerrufsformular');
    expect(await dialog.getByTestId('offer-blockers').count()).toBe(0);
    await screenshot(page, 'offer-03-dialog');
    // the preview carries today's date (the Widerrufsbelehrung's version): masked
    await expect(dialog).toHaveScreenshot('offer-dialog.png', {
      mask: [dialog.locator('.preview-text'), dialog.getByTestId('offer-preview').locator('p.muted')],
    });
    await dialog.getByTestId('offer-send').click();
    await waitFor(() => smtp.received.length >= 1, 'SMTP delivery', 20_000);
    // the app shows the offer's Blitz feed
    await expect.poll(() => page.getByTestId('feed').locator('h1').innerText()).toContain('Gohliser Gärten');

    const msg = smtp.received[0]!;
    expect(msg.rcptTo).toEqual([ANNA.email]);
    delivered = await simpleParser(msg.raw);
    deliveredHtml = typeof delivered.html === 'string' ? delivered.html : '';
    expect(deliveredHtml).toContain('Guten Tag Anna Beispiel,');
    for (const body of [deliveredHtml, delivered.text ?? '']) {
      expect(body).toContain('Widerrufsbelehrung');
      expect(body).toContain('binnen vierzehn Tagen ohne Angabe von Gründen');
      expect(body).toContain('Sommer Immobilien GmbH, Lindenthaler Straße 40, 04155 Leipzig');
      expect(body).toContain('Hiermit widerrufe(n) ich/wir');
    }
    const pdf = delivered.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe('Widerrufsbelehrung und Muster-Widerrufsformular.pdf');
    const pdfText = pdfTextLines(pdf!.content).flat().join(' ');
    expect(pdfText).toContain('Muster-Widerrufsformular');
    expect(pdfText).toContain('Lindenthaler Straße 40, 04155 Leipzig');
  });

  test('the prospect opens the landing page from the e-mail and does all six actions; the feed shows each, in order', async ({
    app,
  }) => {
    const shown = await recipient.show(smtp.received[0]!.raw);
    const mail = await prospect.newPage();
    mail.setDefaultTimeout(15_000);
    await mail.goto(shown.url, { waitUntil: 'load' });
    // 1. visit: through the link in the delivered e-mail
    await Promise.all([
      mail.waitForURL(/\/l\/[A-Za-z0-9_-]+$/),
      mail.getByRole('link', { name: 'Ihr persönliches Angebot ansehen' }).click(),
    ]);
    const landing = mail.url();
    landingUrl = landing;
    expect(await mail.locator('.greet').textContent()).toContain('Anna Beispiel');
    // 2. the Widerrufsbelehrung
    await Promise.all([
      mail.waitForURL(/\/widerruf$/),
      mail.getByRole('link', { name: /Widerrufsbelehrung \(Fassung Nr\. 1/ }).click(),
    ]);
    expect(await mail.locator('.policy').innerText()).toContain('Lindenthaler Straße 40');
    await Promise.all([
      mail.waitForURL(landing),
      mail.locator('a', { hasText: 'Zurück zum Angebot' }).first().click(),
    ]);
    // 3. a link of the property (virtual tour), through the tracked redirect
    const [tab] = await Promise.all([
      prospect.waitForEvent('page'),
      mail.getByRole('link', { name: 'Virtueller Rundgang' }).click(),
    ]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${recipient.origin}/rundgang/gohliser-gaerten`);
    await tab.close();
    // 4. like a unit
    const like = mail.locator('#einheit-GG-WE3 button');
    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    // the legal form (enabled in the dialog): three required confirmations, one optional
    shownWordings = await mail.locator('form.legal input[required] + label').allTextContents();
    expect(shownWordings).toHaveLength(3);
    expect(await mail.locator('form.legal input[type=checkbox]:not([required])').count()).toBe(1);
    await mail.getByLabel(/Widerrufsbelehrung \(Fassung/).check();
    await mail.getByLabel(/Ich verlange ausdrücklich/).check();
    await mail.getByLabel(/Provisionshinweis/).check();
    await Promise.all([
      mail.waitForURL(/#unterlagen$/),
      mail.click('text=Bestätigen und Unterlagen freischalten'),
    ]);
    // 5. a floor plan and 6. the Exposé: the bytes the agent imported
    const files = projectFiles();
    const download = async (name: string | RegExp) => {
      const [dl] = await Promise.all([
        mail.waitForEvent('download'),
        mail.locator('a', { hasText: name }).first().click(),
      ]);
      return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
    };
    const plan = await download('Grundriss EG.pdf');
    expect(plan.name).toBe('Grundriss EG.pdf');
    expect(sha256(plan.bytes)).toBe(sha256(files.get('grundriss-eg.pdf')!));
    const expose = await download('Exposé:');
    expect(expose.name).toBe('Exposé Gohliser Gärten.pdf');
    expect(expose.bytes.equals(files.get('expose-gohliser-gaerten.pdf')!)).toBe(true);
    await mail.close();

    const expected = [
      'Anna Beispiel besuchte die Landing Page',
      'Anna Beispiel öffnete die Widerrufsbelehrung',
      'Anna Beispiel öffnete den Link 127.0.0.1',
      'Anna Beispiel merkte sich Einheit WE 3',
      'Anna Beispiel bestätigte, die Widerrufsbelehrung gelesen zu haben',
      'Anna Beispiel verlangte den Beginn vor Ablauf der Widerrufsfrist',
      'Anna Beispiel bestätigte den Provisionshinweis',
      'Anna Beispiel lud ‚Grundriss EG.pdf‘ herunter',
      'Anna Beispiel lud das Exposé herunter',
    ];
    const items = page.getByTestId('feed-item');
    // events arrive live (SSE) and in any commit order; the feed sorts them by time
    const inOrder = (texts: string[]): string | null => {
      let at = -1;
      for (const e of expected) {
        const i = texts.findIndex((t, k) => k > at && t.includes(e));
        if (i < 0) return `missing „${e}“ after position ${at}`;
        at = i;
      }
      return null;
    };
    let texts: string[] = [];
    await expect
      .poll(async () => inOrder((texts = await items.allInnerTexts())), { timeout: 15_000 })
      .toBeNull();
    expect(texts.some((t) => t.includes('Anna Beispiel öffnete die E-Mail'))).toBe(true);
    // the confirmation mail went out from the agent's desktop: an event of its own in the feed
    await expect
      .poll(
        async () =>
          (await items.allInnerTexts()).some((t) => t.includes('Bestätigung an Anna Beispiel gesendet')),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    await waitFor(
      () => app.notifier.shown.find((n) => n.title === 'Anna Beispiel lud das Exposé herunter'),
      'Exposé notification',
    );
    // toasts leave by themselves after a few seconds; close the rest for a clear screenshot
    const toasts = page.getByTestId('toasts').locator('.toast-close');
    while ((await toasts.count()) > 0)
      await toasts
        .first()
        .click({ timeout: 1000 })
        .catch(() => undefined);
    await screenshot(page, 'offer-04-feed');
    // the activity list shows it as an offer
    await page.getByTestId('nav-activities').click();
    const row = page.getByTestId('activity-row').filter({ hasText: 'Ihr Angebot' });
    expect(await row.innerText()).toContain('Angebot');
  });
  test('the agent opens the Nachweise: exact wording, its SHA-256, Berlin time, full IP; then withdraws the offer', async () => {
    await page.getByTestId('activity-row').filter({ hasText: 'Ihr Angebot' }).click();
    const panel = page.getByTestId('offer-panel');
    await expect.poll(() => panel.getByTestId('offer-status').getAttribute('data-status')).toBe('active');
    expect(await panel.getByTestId('offer-status').innerText()).toBe('Aktiv');

    await panel.getByTestId('evidence-toggle').click();
    const items = panel.getByTestId('evidence-item');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
    const byKind = (c: string) => panel.locator(`[data-testid="evidence-item"][data-confirmation="${c}"]`);
    for (const [i, c] of ['cancellation_policy_read', 'early_start', 'commission_notice'].entries()) {
      const item = byKind(c);
      const wording = shownWordings[i]!;
      expect(await item.innerText()).toContain('Anna Beispiel <anna.beispiel@kunde.example>');
      expect(await item.getByTestId('evidence-ip').innerText()).toBe('198.51.100.23');
      // the hash the app shows is the hash of the very sentence the prospect had in front of them
      const hash = item.getByTestId('evidence-hash');
      expect(await hash.getAttribute('data-sha256')).toBe(sha256(Buffer.from(wording, 'utf8')));
      expect(await hash.getAttribute('title')).toBe(sha256(Buffer.from(wording, 'utf8')));
      expect(await hash.innerText()).toMatch(/^[0-9a-f]{12}…[0-9a-f]{4}$/);
      expect(await item.getByTestId('evidence-verified').count()).toBe(1);
      expect(await item.locator('time').innerText()).toMatch(
        /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} MES?Z$/,
      );
      await item.locator('summary').click();
      expect(await item.getByTestId('evidence-wording').innerText()).toBe(wording);
    }
    expect(await byKind('cancellation_policy_read').innerText()).toContain('Widerrufsbelehrung gelesen');
    await byKind('cancellation_policy_read').scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-05-nachweise');

    // issue 16: „Nachweis exportieren“ for the prospect: the offer's Nachweisakte with the three
    // confirmations, checked by the offline verifier a lawyer would run
    const exportRow = panel.locator(
      '[data-testid="evidence-export-row"][data-email="anna.beispiel@kunde.example"]',
    );
    const download = page.waitForEvent('download', {
      predicate: (d) => d.suggestedFilename().endsWith('nachweis.json'),
    });
    await exportRow.getByTestId('evidence-export-button').click();
    const jsonPath = test.info().outputPath('nachweis.json');
    await (await download).saveAs(jsonPath);
    await expect(exportRow.getByTestId('evidence-export-done')).toContainText('geprüft: gültig');
    const nachweis = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
      offerId: string | null;
      records: { record: { kind: string } }[];
    };
    expect(nachweis.offerId).not.toBeNull();
    expect(nachweis.records.filter((r) => r.record.kind === 'legal_confirmation')).toHaveLength(3);
    const verified = execFileSync('npx', ['tsx', 'scripts/verify-evidence.ts', jsonPath], {
      encoding: 'utf8',
    });
    expect(verified).toMatch(/^gültig/);
    await exportRow.scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-05b-nachweis-exportiert');

    // withdrawing asks first; „Abbrechen“ changes nothing
    await panel.getByTestId('offer-withdrawn').click();
    await panel.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await panel.getByTestId('offer-status').getAttribute('data-status')).toBe('active');
    await panel.getByTestId('offer-withdrawn').click();
    await panel.getByTestId('offer-confirm').waitFor();
    expect(await panel.getByRole('alertdialog').innerText()).toContain('nicht mehr verfügbar');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-06-withdraw-confirm');
    await panel.getByTestId('offer-confirm').click();
    await expect.poll(() => panel.getByTestId('offer-status').getAttribute('data-status')).toBe('withdrawn');
    expect(await panel.getByTestId('offer-status').innerText()).toBe('Zurückgezogen');
    expect(await panel.getByTestId('offer-active').innerText()).toBe('Wieder aktivieren');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-07-withdrawn');

    const gone = await prospect.newPage();
    const res = await gone.goto(landingUrl);
    expect(res?.status()).toBe(410);
    expect(await gone.locator('h1').innerText()).toBe('Dieses Angebot ist nicht mehr verfügbar');
    expect(await gone.locator('main').innerText()).toContain('Der Anbieter hat das Angebot zurückgezogen.');
    await screenshot(gone, 'offer-08-landing-withdrawn');
    await expect(gone).toHaveScreenshot('landing-withdrawn.png');
    await gone.close();
  });

  test('an English-speaking prospect: the mail’s own words in English, the Widerrufsbelehrung German', async () => {
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties-tab-objects').click();
    await page.getByTestId('property-row').first().click();
    await page.getByTestId('offer-open').click();
    const dialog = page.getByTestId('offer-dialog');
    await dialog.getByTestId('offer-to').fill('John Smith <john.smith@buyer.example>');
    await dialog.getByTestId('offer-to').press('Enter');
    await dialog.getByTestId('offer-language').selectOption('en');
    await expect.poll(() => dialog.locator('.preview-text').innerText()).toContain('Dear John Smith,');
    const preview = await dialog.locator('.preview-text').innerText();
    expect(preview).toContain('View your personal offer');
    expect(preview).toContain('Energy performance certificate');
    expect(preview).toContain('binnen vierzehn Tagen ohne Angabe von Gründen');
    expect(preview).not.toContain('Guten Tag');
    expect(await dialog.getByTestId('offer-subject').getAttribute('placeholder')).toMatch(
      /^Your offer: .*Gohliser Gärten/,
    );
    await screenshot(page, 'offer-09a-english-dialog');
    const before = smtp.received.length;
    await dialog.getByTestId('offer-send').click();
    await waitFor(() => smtp.received.length > before, 'SMTP delivery', 20_000);
    const msg = smtp.received[before]!;
    expect(msg.rcptTo).toEqual(['john.smith@buyer.example']);
    const mail = await simpleParser(msg.raw);
    expect(mail.subject).toMatch(/^Your offer: .*Gohliser Gärten/);
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Dear John Smith,');
    expect(html).toMatch(/<a href="http:\/\/[^"]+\/l\/[^"]+"[^>]*>View your personal offer<\/a>/);
    expect(mail.text).toContain('Kind regards');
    // the statutory text as the law gives it, marked German inside the English mail
    expect(html).toContain('in German, the legally binding wording');
    for (const body of [html, mail.text ?? '']) {
      expect(body).toContain('binnen vierzehn Tagen ohne Angabe von Gründen');
      expect(body).not.toContain('Guten Tag');
      expect(body).not.toContain('Mit freundlichen Grüßen');
    }
    expect(mail.attachments.find((a) => a.contentType === 'application/pdf')?.filename).toBe(
      'Widerrufsbelehrung und Muster-Widerrufsformular.pdf',
    );
    // the next mail to John starts in English; to John and Anna (written to in German) in German
    await page.getByTestId('nav-compose').click();
    const to = page.getByTestId('compose-to');
    await to.fill('john.smith@buyer.example');
    await to.press('Enter');
    await expect.poll(() => page.getByTestId('compose-language').inputValue()).toBe('en');
    await to.fill(ANNA.email);
    await to.press('Enter');
    await expect.poll(() => page.getByTestId('compose-language').inputValue()).toBe('de');
    await page.getByTestId('compose-discard').click();
    await page.getByTestId('discard-yes').click();

    // back to the German offer the next test works on (the list may still move: Anna's
    // confirmation mail arrives about now, and rows are recycled as it does)
    await page.getByTestId('nav-activities').click();
    await expect(async () => {
      await page.getByTestId('activity-row').filter({ hasText: 'Ihr Angebot' }).click();
      const status = page.getByTestId('offer-panel').getByTestId('offer-status');
      expect(await status.getAttribute('data-status', { timeout: 2000 })).toBe('withdrawn');
    }).toPass({ timeout: 15_000 });
    await page.getByTestId('offer-panel').getByTestId('evidence-toggle').click();
    await expect.poll(() => page.getByTestId('offer-panel').getByTestId('evidence-item').count()).toBe(3);
  });

  test('with the collector gone the panel says so in German and the status stays', async ({ collector }) => {
    await collector.close();
    const panel = page.getByTestId('offer-panel');
    await panel.getByTestId('offer-active').click();
    await panel.getByTestId('offer-confirm').click();
    await expect
      .poll(() => panel.getByTestId('offer-error').innerText())
      .toBe(
        'Der Tracking-Server ist nicht erreichbar. Der Status des Angebots wurde nicht geändert. Bitte später erneut versuchen.',
      );
    expect(await panel.getByTestId('offer-status').getAttribute('data-status')).toBe('withdrawn');
    await panel.getByRole('button', { name: 'Aktualisieren' }).click();
    await expect
      .poll(() => panel.getByTestId('evidence-error').innerText())
      .toBe(
        'Der Tracking-Server ist nicht erreichbar. Angezeigt werden die Nachweise, wie er sie zuletzt geliefert hat.',
      );
    // what was fetched earlier stays readable (kept in the cache), marked with when it was fetched
    expect(await panel.getByTestId('evidence-item').count()).toBe(3);
    expect(await panel.getByTestId('evidence').innerText()).toMatch(/Abgerufen: \d{2}\.\d{2}\.\d{4}, /);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-09-collector-unreachable');

    // English second: the same panel after switching the language in the settings
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId('nav-activities').click();
    await page.getByTestId('activity-row').filter({ hasText: 'Ihr Angebot' }).click();
    const en = page.getByTestId('offer-panel');
    await expect.poll(() => en.locator('#offer-panel-title').innerText()).toBe('Offer');
    expect(await en.getByTestId('offer-status').innerText()).toBe('Withdrawn');
    await en.getByTestId('evidence-toggle').click();
    await expect
      .poll(() => en.getByTestId('evidence-error').innerText())
      .toBe('The tracking server cannot be reached. Shown is the evidence as it last delivered it.');
    await en.scrollIntoViewIfNeeded();
    await screenshot(page, 'offer-10-english');

    // an agent with the English UI: the prospect's language is a choice of its own, German first
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('property-row').first().click();
    await page.getByTestId('offer-open').click();
    const dialog = page.getByTestId('offer-dialog');
    await expect.poll(() => dialog.getByText('Language of the e-mail').count()).toBe(1);
    const language = dialog.getByTestId('offer-language');
    expect(await language.inputValue()).toBe('de');
    expect(await language.locator('option').allInnerTexts()).toEqual(['German', 'English']);
    await dialog.getByTestId('offer-to').fill('john.smith@buyer.example');
    await dialog.getByTestId('offer-to').press('Enter');
    // remembered from the English offer sent to him before
    await expect.poll(() => language.inputValue()).toBe('en');
    await expect.poll(() => dialog.locator('.preview-text').innerText()).toContain('Dear John Smith,');
    await screenshot(page, 'offer-11-english-ui-dialog');
    await dialog.getByText('Cancel', { exact: true }).click();
    await expect.poll(() => page.getByTestId('offer-dialog').count()).toBe(0);
  });
});
