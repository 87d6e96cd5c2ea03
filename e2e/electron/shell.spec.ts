import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import type { BlitzApi, IpcArgs, IpcOperation, IpcResult } from '../../src-shared/ipc';
import type { Result } from '../../src-shared/result';
import { ELECTRON_INSTALL_HINT, findElectronBinary } from '../support/electron-binary';
import { expect, test, waitFor } from '../support/fixtures';

/**
 * What only the Electron shell does, on the built app (`npm run build` → out/main/index.js):
 * the hardened window, the renderer over app://, window.blitz as the only bridge, native
 * notifications whose click leads to the activity, safeStorage for the SMTP password, the cache
 * across a restart, and navigation / new windows refused. Needs an Electron binary (and on Linux a
 * display: run under `xvfb-run -a` on a machine without one); without a binary every test here is
 * skipped and the run's global setup says so in one line.
 */
const binary = findElectronBinary();
test.skip(
  !binary.found,
  binary.found ? '' : `electron project skipped: ${binary.reason}; ${ELECTRON_INSTALL_HINT}`,
);
test.use({ stack: 'electron' });
test.describe.configure({ mode: 'serial' });

const MAIN = resolve('out/main/index.js');
const SUBJECT = 'Exposé Wohnung 3';

let userData: string;
let electronApp: ElectronApplication | undefined;
let win: Page;

async function launch(): Promise<void> {
  if (!binary.found) throw new Error('no Electron binary');
  expect(existsSync(MAIN), `${MAIN} missing: run npm run build first (npm run test:electron does)`).toBe(
    true,
  );
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // the built renderer over app://, never a dev server; a real Electron, not Node
  delete env['ELECTRON_RENDERER_URL'];
  delete env['ELECTRON_RUN_AS_NODE'];
  electronApp = await _electron.launch({
    executablePath: binary.path,
    // Chromium's sandbox refuses to start as root (CI containers); the renderer sandbox flag is still checked below
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN],
    env: { ...env, BLITZ_E2E: '1', BLITZ_USER_DATA_DIR: userData, LANG: 'de_DE.UTF-8' },
    timeout: 60_000,
  });
  win = await electronApp.firstWindow();
  await win.waitForLoadState('domcontentloaded');
}

async function quit(): Promise<void> {
  await electronApp?.close();
  electronApp = undefined;
}

/** A call through the real bridge: page → preload → IPC guard → core. */
function invoke<K extends IpcOperation>(op: K, args: IpcArgs<K>): Promise<Result<IpcResult<K>>> {
  return win.evaluate(([o, a]) => (window as unknown as { blitz: BlitzApi }).blitz.invoke(o, a as never), [
    op,
    args,
  ] as const) as Promise<Result<IpcResult<K>>>;
}

const recorded = () =>
  electronApp!.evaluate(() => ({
    notifications: (globalThis.__blitzE2e?.notifications ?? []).map(({ activityId, title, body, shown }) => ({
      activityId,
      title,
      body,
      shown,
    })),
    openedExternally: [...(globalThis.__blitzE2e?.openedExternally ?? [])],
  }));

test.beforeAll(() => {
  userData = mkdtempSync(join(tmpdir(), 'blitz-electron-'));
});

test.afterAll(async () => {
  await quit();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test.describe('Electron shell', () => {
  test('opens one window with hardened webPreferences and the renderer from app://', async () => {
    await launch();
    const prefs = await electronApp!.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows();
      // the preferences Electron actually applied (a long-standing API its own typings leave out)
      const contents = windows[0]?.webContents as unknown as {
        getLastWebPreferences?: () => Record<string, unknown> | null;
      };
      const p = contents.getLastWebPreferences?.() ?? null;
      return {
        windows: windows.length,
        contextIsolation: p?.contextIsolation,
        sandbox: p?.sandbox,
        nodeIntegration: p?.nodeIntegration,
        nodeIntegrationInWorker: p?.nodeIntegrationInWorker,
        webSecurity: p?.webSecurity,
        allowRunningInsecureContent: p?.allowRunningInsecureContent,
        webviewTag: p?.webviewTag,
      };
    });
    expect(prefs).toEqual({
      windows: 1,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.url()).toBe('app://blitz/index.html');
    await expect(win.getByTestId('welcome')).toBeVisible();
    // the CSP the protocol handler sends with every file
    const csp = await win.evaluate(async () =>
      (await fetch('app://blitz/index.html')).headers.get('content-security-policy'),
    );
    expect(csp).toContain("script-src 'self'");
  });

  test('window.blitz is the only bridge: no require, process or ipcRenderer in the page', async () => {
    const globals = await win.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        blitz: Object.keys((w['blitz'] ?? {}) as object).sort(),
        require: typeof w['require'],
        process: typeof w['process'],
        ipcRenderer: typeof w['ipcRenderer'],
        electron: typeof w['electron'],
        module: typeof w['module'],
        Buffer: typeof w['Buffer'],
      };
    });
    expect(globals).toEqual({
      blitz: ['invoke', 'subscribe'],
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });
    // the bridge reaches the core through the IPC guard; unknown operations stop in the preload
    const settings = await invoke('settings.get', undefined as never);
    expect(settings.ok).toBe(true);
    const unknown = await win.evaluate(() =>
      (window as unknown as { blitz: { invoke(op: string, a: unknown): Promise<unknown> } }).blitz.invoke(
        'shell.openExternal',
        {},
      ),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
  });

  test('navigation and new windows are refused; http(s) goes to the browser, anything else nowhere', async () => {
    const before = win.url();
    expect(await win.evaluate(() => window.open('https://example.org/neues-fenster'))).toBeNull();
    await win.evaluate(() => {
      location.href = 'https://example.org/weg';
    });
    await win.evaluate(() => {
      location.href = 'file:///etc/passwd';
    });
    await expect
      .poll(async () => (await recorded()).openedExternally)
      .toEqual(['https://example.org/neues-fenster', 'https://example.org/weg']);
    expect(await electronApp!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(win.url()).toBe(before);
    await expect(win.getByTestId('welcome')).toBeVisible();
  });

  test('safeStorage keeps the SMTP password; a pixel hit raises a native notification whose click opens the activity', async ({
    collector,
    smtp,
    imap,
    recipient,
  }) => {
    await win.locator('[data-testid=welcome] input[type=url]').fill(collector.url);
    await win.locator('[data-testid=welcome] input[type=password]').fill(collector.agentToken);
    await win.getByRole('button', { name: 'Verbinden' }).click();
    await expect(win.getByTestId('activity-list')).toBeVisible();
    const saved = await invoke('settings.saveMailAccount', {
      fromName: 'Maria Makler',
      fromEmail: 'maria@makler.example',
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        user: smtp.user,
        password: smtp.password,
      },
      imap: {
        host: '127.0.0.1',
        port: imap.port,
        security: 'starttls',
        user: imap.user,
        password: imap.password,
      },
    });
    expect(saved.ok).toBe(true);
    // nothing in the app's folder holds the password in plain text or plain base64
    const files = readdirSync(userData, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.some((f) => f.name === 'secrets.json')).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(join(f.parentPath, f.name));
      expect(bytes.includes(smtp.password), f.name).toBe(false);
      expect(bytes.includes(Buffer.from(smtp.password).toString('base64')), f.name).toBe(false);
    }

    await win.getByTestId('nav-compose').click();
    await win.getByTestId('compose-to').fill('Anna Beispiel <anna@kunde.example>');
    await win.getByTestId('compose-to').press('Enter');
    await win.getByTestId('compose-subject').fill(SUBJECT);
    await win.getByTestId('compose-body').click();
    await win.keyboard.type('Guten Tag, anbei das Exposé zur Wohnung.');
    await win.getByTestId('compose-send').click();
    await waitFor(() => smtp.received.length >= 1, 'SMTP delivery', 20_000);
    const { html } = await recipient.show(smtp.received[0]!.raw);
    const pixel = /(https?:\/\/[^"]+\/o\/[A-Za-z0-9_-]+\.gif)/.exec(html)?.[1];
    expect(pixel).toBeDefined();

    // the agent looks elsewhere when the prospect opens the mail in a desktop browser
    await win.getByTestId('nav-settings').click();
    const hit = await fetch(pixel!, {
      headers: {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
        'x-forwarded-for': '198.51.100.23',
      },
    });
    expect(hit.status).toBe(200);
    const opened = (n: { title: string; body: string }) =>
      /Anna Beispiel öffnete/.test(`${n.title} ${n.body}`);
    await expect
      .poll(async () => (await recorded()).notifications.filter(opened).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const note = (await recorded()).notifications.find(opened)!;
    expect(note.shown, 'the platform reported no native notification support').toBe(true);

    // Blitz is minimised; clicking the notification brings it back, on that activity
    await electronApp!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.minimize());
    await electronApp!.evaluate((_e, title) => {
      globalThis.__blitzE2e?.notifications.find((n) => n.title === title)?.click();
    }, note.title);
    expect(note.activityId).not.toBe('');
    await expect(win.getByTestId('feed').locator('h1')).toHaveText(SUBJECT);
    await expect(
      win.getByTestId('feed-item').filter({ hasText: 'Anna Beispiel öffnete die E-Mail' }),
    ).toBeVisible();
    await expect
      .poll(() =>
        electronApp!.evaluate(({ BrowserWindow }) => {
          const w = BrowserWindow.getAllWindows()[0];
          return { visible: w?.isVisible(), minimized: w?.isMinimized(), focused: w?.isFocused() };
        }),
      )
      .toEqual({ visible: true, minimized: false, focused: true });
  });

  test('after a restart without the collector the cache still shows the activity, and the stored password still works', async ({
    collector,
    smtp,
    imap,
  }) => {
    await quit();
    await collector.close();
    await launch();
    await expect(win.getByTestId('activity-list')).toBeVisible();
    await expect(win.getByTestId('offline-banner')).toBeVisible({ timeout: 15_000 });
    await win.getByTestId('activity-row').filter({ hasText: SUBJECT }).click();
    await expect(
      win.getByTestId('feed-item').filter({ hasText: 'Anna Beispiel öffnete die E-Mail' }),
    ).toBeVisible();

    const settings = await invoke('settings.get', undefined as never);
    expect(settings.ok && settings.value.mailAccount?.smtp.hasPassword).toBe(true);
    // no password passed: the connection test decrypts the stored one with safeStorage
    const tested = await invoke('settings.testMailAccount', {
      fromName: 'Maria Makler',
      fromEmail: 'maria@makler.example',
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'starttls', user: smtp.user },
      imap: { host: '127.0.0.1', port: imap.port, security: 'starttls', user: imap.user },
    });
    expect(tested.ok && tested.value.smtp.ok).toBe(true);
    expect(tested.ok && tested.value.imap.ok).toBe(true);
  });
});
