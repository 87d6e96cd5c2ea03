import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fill } from '../bench/scenarios/ui-list';
import { startApp, type AppUnderTest } from '../test/support/e2e-stack';
import { expect, test } from './support/fixtures';

/**
 * Issue 12, speed, as the agent sees it: the page's bridge calls go over the host's WebSocket, and
 * a keystroke's rows come before a total that needs a scan — the count says „mindestens …“ until
 * the total is in, never a number that is not true.
 */
test.use({ stack: 'list-speed' });
test.describe.configure({ mode: 'serial' });

let app: AppUnderTest;
// 150 activities (every one has an „l“ in its address, a sixth are in the Lindenstraße), no events
const N = 150;

test.beforeAll(async ({ rendererDir }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-list-speed-'));
  fill(join(dataDir, 'cache.sqlite'), N, 0);
  app = await startApp(rendererDir, dataDir);
});
test.afterAll(async () => {
  await app?.close();
});

test('keystrokes travel over the WebSocket; the total follows the rows and is never untrue', async ({
  agentPage: page,
}) => {
  const sockets: string[] = [];
  const sent: string[] = [];
  page.on('websocket', (ws) => {
    sockets.push(new URL(ws.url()).pathname);
    ws.on('framesent', (f) => sent.push(String(f.payload)));
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await page.goto(app.host.pageUrl);
  const count = page.getByTestId('activity-count');
  await expect(count).toHaveText(`${N} Aktivitäten`);
  // the first screen's three calls in one request, no icon asked for
  expect(requests.filter((r) => r.startsWith('POST '))).toEqual(['POST /ipc-batch']);
  expect(requests).not.toContain('GET /favicon.ico');
  // the socket opens once the first answer is in
  await expect.poll(() => sockets).toContain('/ipc-ws');

  // every text the count shows while „l“ is answered: the rows, then the total
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid=activity-count]')!;
    const seen: string[] = [];
    (globalThis as { __countTexts?: string[] }).__countTexts = seen;
    new MutationObserver(() => seen.push(`${el.textContent} busy=${el.getAttribute('aria-busy')}`)).observe(
      el,
      { subtree: true, childList: true, characterData: true, attributes: true },
    );
  });
  await page.getByTestId('activity-search').press('l');
  await expect(page.getByTestId('activity-list')).toHaveAttribute('data-list-query', 'l');
  await expect(count).toHaveText(`${N} Aktivitäten`);
  await expect(count).toHaveAttribute('data-counted', 'true');
  const texts = await page.evaluate(() => (globalThis as { __countTexts?: string[] }).__countTexts ?? []);
  // „l“ is in every address: the first 100 rows come at once, the count of all 150 after them
  expect(texts.some((t) => t.startsWith('mindestens 100 Aktivitäten busy=true'))).toBe(true);
  for (const t of texts)
    expect([`mindestens 100 Aktivitäten busy=true`, `${N} Aktivitäten busy=false`]).toContain(t);
  expect(sent.some((f) => f.includes('"op":"activities.page"') && f.includes('"query":"l"'))).toBe(true);
  expect(sent.some((f) => f.includes('"op":"activities.count"'))).toBe(true);

  // a word with a trigram answers its total with the rows
  await page.getByTestId('activity-search').pressSequentially('indenstr');
  await expect(page.getByTestId('activity-list')).toHaveAttribute('data-list-query', 'lindenstr');
  await expect(count).toHaveText(`${N / 6} Aktivitäten`);
  await expect(page.getByTestId('activity-row').first()).toContainText('Lindenstraße');

  // a switch of activity over the socket too
  await page.getByTestId('activity-row').first().click();
  await expect(page.getByTestId('feed')).toBeVisible();
  expect(sent.some((f) => f.includes('"op":"feed.get"'))).toBe(true);
});
