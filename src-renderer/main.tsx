// first: asks for the first screen's data before the rest of the bundle evaluates
import { bootRequests, bridge } from './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { initI18n } from './i18n';
import { initStore, useApp } from './store/app';
import './styles.css';
import './first-hour.css';

const i18n = initI18n('de');
const { api, kind } = bridge;

useApp.subscribe((s, prev) => {
  if (s.settings && s.settings.language !== prev.settings?.language) {
    void i18n.changeLanguage(s.settings.language);
    document.documentElement.lang = s.settings.language;
  }
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void initStore(api, kind, bootRequests);
