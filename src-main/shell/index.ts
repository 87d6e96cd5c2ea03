import { msg } from '../../src-shared/messages';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import pino from 'pino';
import type { CoreEvent } from '../../src-shared/ipc';
import { err, ok } from '../../src-shared/result';
import type { CoreApi } from '../core/api';
import { createCore } from '../core/index';
import type { SaveEvidence } from '../core/evidence/export';
import { writeEvidenceFolder } from '../core/evidence/save-folder';
import { localCollectorStarter } from '../core/collector/local-collector';
import { contentSecurityPolicy } from '../core/renderer-assets/csp';
import { e2eSeams } from './e2e-seams';
import { isKnownOperation, isTrustedSender } from './ipc-guard';
import { buildAppMenu } from './menu';
import { createTranslator, type Language } from '../core/i18n';
import { createElectronNotifier } from './notifications';
import { registerAppScheme, serveRenderer } from './protocol';
import { createSafeStorageSecretStore } from './secret-store';
import { APP_ORIGIN, decideNavigation } from './url-policy';
import { loadWindowState, saveWindowState } from './window-state';
import { makePrivateDir } from '../../src-shared/private-fs';

/**
 * The Electron shell: lifecycle, the one window, security settings, IPC adapter. All logic lives
 * in the core; this file only wires Electron to it.
 */

const log = pino({ name: 'blitz-shell' });
const seams = e2eSeams();
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const appOrigins = devServerUrl ? [new URL(devServerUrl).origin] : [APP_ORIGIN];

let mainWindow: BrowserWindow | null = null;
let core: CoreApi | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => focusWindow());
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) createWindow();
  });
  app.on('will-quit', (e) => {
    if (!core) return;
    const c = core;
    core = null;
    e.preventDefault();
    c.stop()
      .catch((error: unknown) => log.error({ error }, 'core stop failed'))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error({ error }, 'start failed');
      app.exit(1);
    });
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openExternal(url: string): void {
  if (seams) seams.openExternal(url);
  else void shell.openExternal(url);
}

/** Navigation, new windows, webviews: only our renderer stays in the app; http(s) goes to the browser. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, appOrigins);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'external') openExternal(decision.url);
  });
  contents.on('will-redirect', (event, url) => {
    if (decideNavigation(url, appOrigins).action !== 'allow') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, appOrigins);
    if (decision.action === 'external') openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function configureSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  const csp = contentSecurityPolicy(devServerUrl ? 'dev' : 'production');
  // Also as a header for everything the session loads (the dev server, too).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
}

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function createWindow(): void {
  const state = loadWindowState(windowStateFile());
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Blitz',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  mainWindow = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    try {
      saveWindowState(windowStateFile(), {
        width: Math.max(640, b.width),
        height: Math.max(480, b.height),
        x: b.x,
        y: b.y,
        maximized: win.isMaximized(),
      });
    } catch (error) {
      log.warn({ error }, 'window state not saved');
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadURL(`${APP_ORIGIN}/index.html`);
}

function send(event: CoreEvent): void {
  const wc = mainWindow?.webContents;
  if (wc && !wc.isDestroyed()) wc.send('blitz:event', event);
}

async function start(): Promise<void> {
  configureSession();
  if (!devServerUrl) serveRenderer(join(import.meta.dirname, '../renderer'));
  const translator = createTranslator();
  const setMenu = (language: Language): void =>
    Menu.setApplicationMenu(buildAppMenu({ isDev: !app.isPackaged, language, translator }));
  setMenu('de');

  const userData = app.getPath('userData');
  // Electron creates it with the umask's mode: the app's data (cache, secrets, files) is private
  makePrivateDir(userData, { own: true });
  const notifier = createElectronNotifier((activityId) => {
    focusWindow();
    send({ kind: 'navigate', activityId });
  }, seams);
  const secrets = createSafeStorageSecretStore(join(userData, 'secrets.json'), log);
  // issue 16: „Nachweis exportieren“ asks where the evidence folder goes (Documents by default)
  const saveEvidence: SaveEvidence = async (files) => {
    const options = {
      title: translator.message(menuLanguage, msg('evidenceExportDialogTitle')),
      defaultPath: join(app.getPath('documents'), files.folderName),
      properties: ['createDirectory', 'showOverwriteConfirmation'] as (
        'createDirectory' | 'showOverwriteConfirmation'
      )[],
    };
    const picked = mainWindow
      ? await dialog.showSaveDialog(mainWindow, options)
      : await dialog.showSaveDialog(options);
    if (picked.canceled || !picked.filePath) return ok(null);
    const r = writeEvidenceFolder(picked.filePath, files);
    if (r.ok) log.info({ path: r.value.path }, 'evidence exported');
    else log.warn({ error: r.error }, 'evidence not written');
    return r;
  };
  core = createCore({
    dataDir: userData,
    secrets,
    notifier,
    log,
    startLocalCollector: localCollectorStarter(secrets),
    saveEvidence,
  });
  const c = core;

  ipcMain.handle('blitz:invoke', async (event, op: unknown, args: unknown) => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      {
        frameUrl: frame?.url,
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
        webContentsId: event.sender.id,
      },
      { webContentsId: mainWindow?.webContents.id ?? null, appOrigins },
    );
    if (!trusted) {
      log.warn({ url: frame?.url }, 'IPC from an untrusted frame refused');
      return err({ code: 'forbidden', message: msg('accessDenied') });
    }
    if (!isKnownOperation(op)) return err({ code: 'unknown_operation', message: msg('unknownOperation') });
    return c.dispatch(op, args);
  });
  c.subscribe(send);
  // the menu speaks the UI's language, also after the agent switches it
  let menuLanguage: Language = 'de';
  const followLanguage = async (): Promise<void> => {
    const settings = await c.dispatch('settings.get', {});
    if (settings.ok && settings.value.language !== menuLanguage) {
      menuLanguage = settings.value.language;
      setMenu(menuLanguage);
    }
  };
  c.subscribe((event) => {
    if (event.kind === 'settings.changed') void followLanguage();
  });

  createWindow();
  await c.start();
  await followLanguage();
}
