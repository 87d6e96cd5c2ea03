import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from '@playwright/test';
import { sampleXml, sampleZip, SAMPLE_TITLE } from '../test/fixtures/openimmo-zip/sample';
import type { TestSmtpServer } from '../test/support/mail-servers';
import { SCREENSHOT_DIR, type AppUnderTest, type RecipientSide } from '../test/support/e2e-stack';
import { connectAgent, prospectContext } from './support/agent-setup';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 13, import side, end to end: the agent imports a portal's ZIP (the issue-13 sample) in
 * Objekte and sees the import report; the offer mail and the prospect's landing page show the
 * project's facts as ranges over its units, each unit with its title, and the Energieausweis with
 * the § 87 GEG items; a property without one says so.
 */
test.use({ stack: 'import-zip' });
test.describe.configure({ mode: 'serial' });

const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };

let smtp: TestSmtpServer;
let app: AppUnderTest;
let recipient: RecipientSide;
let page: Page;
let prospect: BrowserContext;

test.beforeAll(async ({ browser, agentPage, app: a, collector, smtp: s, imap, recipient: r }) => {
  smtp = s;
  app = a;
  recipient = r;
  page = agentPage;
  // the viewport this story's screenshots were taken at
  await page.setViewportSize({ width: 1280, height: 860 });
  await connectAgent(
    { app, collector, smtp, imap, page },
    { name: 'Jörg Größer', email: 'j.groesser@elbflorenz-wohnbau.example' },
  );
  const profile = await app.core.dispatch('legal.saveProfile', {
    company: 'Elbflorenz Wohnbau Vertrieb GmbH',
    address: 'Königsbrücker Straße 5, 01099 Dresden',
    phone: '+49 351 000 00 00',
  });
  expect(profile.ok).toBe(true);
  prospect = await prospectContext(browser, '198.51.100.77');
});

test.afterAll(async () => {
  await prospect?.close();
});

/** the prospect opens the landing page from the delivered mail number `n` */
async function openLanding(n: number): Promise<Page> {
  const shown = await recipient.show(smtp.received[n]!.raw);
  const mail = await prospect.newPage();
  mail.setDefaultTimeout(15_000);
  await mail.goto(shown.url, { waitUntil: 'load' });
  await Promise.all([
    mail.waitForURL(/\/l\/[A-Za-z0-9_-]+$/),
    mail.getByRole('link', { name: 'Ihr persönliches Angebot ansehen' }).click(),
  ]);
  return mail;
}

test.describe('OpenImmo ZIP → import report → offer with Energieausweis and project ranges', () => {
  test('the file picker takes the portal ZIP and the import report lists what was and was not taken over', async () => {
    await page.getByTestId('nav-properties').click();
    expect(await page.getByTestId('openimmo-input').getAttribute('accept')).toContain('.zip');
    await page.getByTestId('openimmo-input').setInputFiles({
      name: 'AMG-Export.zip',
      mimeType: 'application/zip',
      buffer: await sampleZip(),
    });
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    const imported = await report.getByTestId('import-report-imported').innerText();
    expect(imported).toContain(SAMPLE_TITLE);
    expect(imported).toContain('3 Einheiten');
    expect(imported).toContain('4 Dateien');
    expect(imported).toContain('Energieausweis übernommen');
    expect(imported).toContain('WE 3: Penthouse mit Elbblick');
    expect(await report.getByTestId('import-report-unused').innerText()).toContain('export/liesmich.txt');
    const notImported = await report.getByTestId('import-report-not-imported').innerText();
    expect(notImported).toContain('kontaktperson/name');
    expect(notImported).toContain('Größer');
    expect(await report.innerText()).toContain('ZIP-Archiv „AMG-Export.zip“');
    await screenshot(page, 'import-01-report');
    await report.getByTestId('import-report-close').click();

    const form = page.getByTestId('property-form');
    await expect.poll(() => form.getByTestId('property-title').inputValue()).toBe(SAMPLE_TITLE);
    expect(await form.getByTestId('energy-status').inputValue()).toBe('available');
    expect(await form.getByTestId('energy-class').inputValue()).toBe('A+');
    expect(await form.getByTestId('energy-carrier').inputValue()).toBe('Luft-Wärmepumpe');
    expect(await form.getByTestId('unit-title').nth(2).inputValue()).toBe('Penthouse mit Elbblick');
    expect(await form.getByTestId('energy-missing').count()).toBe(0);
    await form.getByTestId('energy-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'import-02-energy-form');
  });

  test('the send dialog previews the HTML mail; the delivered mail carries ranges, unit titles and § 87 GEG items', async () => {
    await page.getByTestId('offer-open').click();
    const dialog = page.getByTestId('offer-dialog');
    await dialog.getByTestId('offer-to').fill(`${ANNA.name} <${ANNA.email}>`);
    await dialog.getByTestId('offer-to').press('Enter');
    const html = dialog.getByTestId('offer-preview-html');
    await expect.poll(() => html.innerText(), { timeout: 15_000 }).toContain('Guten Tag Anna Beispiel,');
    const shown = await html.innerText();
    expect(shown).toContain('Energieeffizienzklasse');
    expect(shown).toContain('58,4–118,2 m²');
    // the button of the HTML mail is there, styled (the plain text has only the URL)
    expect(
      await html
        .getByText('Ihr persönliches Angebot ansehen')
        .evaluate((e) => getComputedStyle(e).backgroundColor),
    ).toBe('rgb(31, 79, 209)');
    await screenshot(page, 'import-03-offer-preview-html');
    await dialog.getByTestId('offer-preview-text-tab').click();
    expect(await dialog.locator('pre.preview-text').innerText()).toContain('Kaufpreise: ab 289.000');
    await dialog.getByTestId('offer-send').click();
    await waitFor(() => smtp.received.length >= 1, 'SMTP delivery', 30_000);
    const delivered = await simpleParser(smtp.received[0]!.raw);
    const text = delivered.text ?? '';
    for (const line of [
      'Kaufpreise: ab 289.000 €',
      'Wohnflächen: 58,4–118,2 m²',
      'Zimmer: 2–4',
      'Energieausweis: Bedarfsausweis',
      'Endenergiebedarf: 28,4 kWh/(m²·a)',
      'Wesentlicher Energieträger: Luft-Wärmepumpe',
      'Baujahr (laut Energieausweis): 2026',
      'Energieeffizienzklasse: A+',
      '– WE 3 – Penthouse mit Elbblick: 4 Zi., 118,2 m², 569.000 €',
    ])
      expect(text.replace(/\u00a0/g, ' ')).toContain(line);
    expect(text).not.toContain('261,2');
  });

  test('the landing page shows ranges, unit titles and the Energieausweis (1280 and 390 px)', async () => {
    const landing = await openLanding(0);
    const facts = (await landing.locator('#eckdaten + dl').innerText()).replace(/\u00a0/g, ' ');
    expect(facts).toContain('ab 289.000 €');
    expect(facts).toContain('58,4–118,2 m²');
    expect(facts).toContain('2–4');
    expect(facts).not.toContain('261,2');
    expect(facts).not.toMatch(/ZIMMER\s+9/i);
    const energy = landing.locator('section[data-energy="available"]');
    const e = await energy.innerText();
    for (const item of ['Bedarfsausweis', '28,4 kWh/(m²·a)', 'Luft-Wärmepumpe', '2026', 'A+'])
      expect(e).toContain(item);
    expect(await landing.locator('#einheit-AMG-WE3 .unit-title').innerText()).toBe('Penthouse mit Elbblick');
    expect(await landing.locator('#einheit-AMG-WE1 .unit-teaser').innerText()).toContain(
      'Terrasse & eigener Garten',
    );
    await landing.screenshot({
      path: join(SCREENSHOT_DIR, 'import-04-landing-project-1280.png'),
      fullPage: true,
    });
    await landing.setViewportSize({ width: 390, height: 844 });
    // nothing wider than the phone's screen
    expect(await landing.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await landing.screenshot({
      path: join(SCREENSHOT_DIR, 'import-05-landing-project-390.png'),
      fullPage: true,
    });
    await landing.locator('#eckdaten').scrollIntoViewIfNeeded();
    await landing.evaluate(() => document.getElementById('eckdaten')?.scrollIntoView());
    await landing.screenshot({ path: join(SCREENSHOT_DIR, 'import-06-landing-facts-energy-390.png') });
    await landing.evaluate(() => document.getElementById('einheiten')?.scrollIntoView());
    await landing.screenshot({ path: join(SCREENSHOT_DIR, 'import-07-landing-units-390.png') });
    await landing.close();
  });

  test('a property without an Energieausweis says so on the landing page and in the mail', async () => {
    const imp = await app.core.dispatch('properties.importOpenImmo', {
      xml: sampleXml({ energy: false }).replaceAll('AMG', 'OHN'),
      fileName: 'ohne-energieausweis.xml',
    });
    if (!imp.ok) throw new Error(JSON.stringify(imp.error));
    expect(imp.value.report.imported[0]!.energy).toBe('none');
    const sent = await app.core.dispatch('offers.send', {
      propertyId: imp.value.properties[0]!.id,
      recipients: [{ email: ANNA.email, name: ANNA.name }],
    });
    expect(sent.ok).toBe(true);
    await waitFor(() => smtp.received.length >= 2, 'second SMTP delivery', 30_000);
    const delivered = await simpleParser(smtp.received[1]!.raw);
    expect(delivered.text).toContain('Energieausweis: Ein Energieausweis liegt noch nicht vor.');
    const landing = await openLanding(1);
    expect(await landing.locator('section[data-energy="pending"]').innerText()).toContain(
      'Ein Energieausweis liegt noch nicht vor. Er wird spätestens bei der Besichtigung vorgelegt (§ 80 Abs. 4 GEG).',
    );
    await landing.close();
  });
});
