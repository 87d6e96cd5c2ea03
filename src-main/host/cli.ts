import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createCore, createFileSecretStore, type CoreApi } from '../core/index';
import { buildRenderer, createRendererDevServer } from './build-renderer';
import { localCollectorStarter } from '../core/collector/local-collector';
import { RecordingNotifier } from './recording-notifier';
import { startHost } from './server';
import { makePrivateDir } from '../../src-shared/private-fs';

/**
 * `npm run web -- [--port 5180] [--data-dir DIR] [--collector URL [--token T]] [--dev | --renderer-dir DIR]`
 * The desktop app in a normal browser: same renderer, same core, on 127.0.0.1 only.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      'data-dir': { type: 'string', default: join(homedir(), '.blitz-web') },
      collector: { type: 'string' },
      token: { type: 'string' },
      dev: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      /** serve an already built renderer from DIR (tests, packaging checks) */
      'renderer-dir': { type: 'string' },
    },
  });
  const log = pino({ name: 'blitz-host' });
  const dataDir = resolve(values['data-dir']);
  // the data folder is this program's: private even when it existed before
  makePrivateDir(dataDir, { own: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${values.port}`);

  const secrets = createFileSecretStore(join(dataDir, 'secrets.json'), log);
  log.warn(
    'browser host: secrets are stored UNENCRYPTED in the data folder; use the desktop app for real accounts',
  );
  const notifier = new RecordingNotifier();
  const core = createCore({
    dataDir,
    secrets,
    notifier,
    log,
    startLocalCollector: localCollectorStarter(secrets),
  });
  await core.start();

  const token = values.token ?? process.env['BLITZ_COLLECTOR_TOKEN'];
  if (values.collector) {
    const res = await core.dispatch('settings.saveCollector', {
      url: values.collector,
      ...(token ? { token } : {}),
    });
    if (!res.ok) log.error({ error: res.error }, 'collector not saved');
  }

  let rendererDir: string | undefined;
  let viteMiddleware;
  let closeVite: (() => Promise<void>) | null = null;
  if (values.dev) {
    const vite = await createRendererDevServer();
    viteMiddleware = vite.middlewares;
    closeVite = () => vite.close();
  } else if (values['renderer-dir']) {
    rendererDir = resolve(values['renderer-dir']);
  } else {
    rendererDir = resolve(import.meta.dirname, '../../out/renderer');
    if (values.rebuild || !existsSync(join(rendererDir, 'index.html'))) {
      log.info({ rendererDir }, 'building the renderer');
      await buildRenderer(rendererDir);
    }
  }

  const host = await startHost({
    core,
    notifier,
    port,
    ...(rendererDir ? { rendererDir } : {}),
    ...(viteMiddleware ? { viteMiddleware } : {}),
    log: (msg) => log.error(msg),
  });
  notifier.onNotify((n) => log.info({ notification: n }, 'notification'));
  console.log(`\n${await startBanner(core, host.pageUrl)}\n`);
  // the local test mode started later from the welcome view: its address is printed then
  let printedCollector = (await collectorLine(core)) ?? '';
  core.subscribe((e) => {
    if (e.kind !== 'settings.changed') return;
    void collectorLine(core).then((line) => {
      if (line && line !== printedCollector) {
        printedCollector = line;
        console.log(`\n${line}\n`);
      }
    });
  });

  const shutdown = async () => {
    await host.close();
    await closeVite?.();
    await core.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** where the collector the app uses is, as one line; null while none is set up */
async function collectorLine(core: CoreApi): Promise<string | null> {
  const res = await core.dispatch('settings.get', {});
  if (!res.ok || !res.value.collector) return null;
  const url = res.value.collector.url;
  return res.value.localTestMode
    ? `Lokaler Collector (Testmodus): ${url} – Tracking-Pixel und Links der gesendeten E-Mails zeigen hierher, nur von diesem Computer erreichbar.`
    : `Collector: ${url}`;
}

/** what `npm run web` prints: where to open the app, where its collector is, how it notifies */
async function startBanner(core: CoreApi, pageUrl: string): Promise<string> {
  const collector =
    (await collectorLine(core)) ??
    'Collector: noch keiner eingerichtet – im Browser „Testmodus starten“ wählen (der lokale Collector läuft dann auf 127.0.0.1; seine Adresse erscheint hier) oder die Adresse Ihres Collectors eintragen.';
  return [
    `Blitz im Browser: ${pageUrl}`,
    '  (nur auf diesem Computer erreichbar; der Link enthält den Zugangsschlüssel – nicht weitergeben)',
    collector,
    'Benachrichtigungen: als Benachrichtigung des Browsers (einmal erlauben über den Hinweis oben in der App) und als Einblendung unten rechts im Blitz-Fenster; außerdem hier im Protokoll.',
    'Beenden mit Strg+C.',
  ].join('\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
