import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { initI18n, languageSettled, setLanguage } from './i18n';
import { prefetchNotifyPermission } from './lib/browser-notify';
import type { BootRequests, bridge as theBridge } from './boot';
import { initStore, useApp } from './store/app';

/**
 * The app after boot.ts: i18n, the store and React, in a chunk main.tsx imports once the first
 * screen's requests are on their way.
 */
export function start({ api, kind }: typeof theBridge, bootRequests: BootRequests): void {
  // answered while the first screen's data travels (NotifyPrompt reads it)
  if (kind === 'http') prefetchNotifyPermission();
  initI18n();

  useApp.subscribe((s, prev) => {
    if (s.settings && s.settings.language !== prev.settings?.language) {
      const language = s.settings.language;
      void setLanguage(language).then(() => {
        document.documentElement.lang = language;
      });
    }
  });

  /**
   * React mounts once the first screen's data and language are in, so the list is its first
   * render: a render and paint of the loading view in between cost 20–30 ms of the list open on a
   * loaded machine (issue 12, `npm run profile:ui`); index.html shows the loading view meanwhile.
   * A slow host does not keep React from mounting: after MOUNT_WAIT_MS it shows its own loading
   * view (and errors) as before.
   */
  const MOUNT_WAIT_MS = 1_500;
  const started = initStore(api, kind, bootRequests).then(languageSettled);
  const root = document.getElementById('root');
  if (root) {
    const mount = (): void =>
      createRoot(root).render(
        <StrictMode>
          <App />
        </StrictMode>,
      );
    void Promise.race([
      started.catch(() => undefined),
      new Promise((ok) => setTimeout(ok, MOUNT_WAIT_MS)),
    ]).then(mount);
  }
}
