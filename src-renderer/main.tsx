// first: asks for the first screen's data before the rest of the bundle evaluates
import { bootRequests, bridge } from './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { initI18n, languageSettled, setLanguage } from './i18n';
import { initStore, useApp } from './store/app';
import './styles.css';
import './first-hour.css';

initI18n();
const { api, kind } = bridge;

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
  void Promise.race([started.catch(() => undefined), new Promise((ok) => setTimeout(ok, MOUNT_WAIT_MS))]).then(
    mount,
  );
}
