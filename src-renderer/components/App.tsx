import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/app';
import { ActivitiesView } from './Activities';
import { OfflineBanner, Sidebar, Toasts } from './Chrome';
import { HelpView } from './Help';
import { NotifyPrompt } from './NotifyPrompt';
import { ComposeView, PropertiesView, prefetchViewsWhenQuiet, SettingsView } from './lazy-views';
import { WelcomeView } from './Welcome';
import { tm } from '../lib/messages';

export function App() {
  const { t } = useTranslation();
  const ready = useApp((s) => s.ready);
  const fatal = useApp((s) => s.fatal);
  const view = useApp((s) => s.view);
  const needsSetup = useApp(
    (s) => s.settings !== null && s.settings.collector === null && !s.settings.localTestMode,
  );
  // the other views' chunks once the first screen is painted and the agent pauses (lazy-views.ts)
  useEffect(() => {
    if (!ready) return;
    return prefetchViewsWhenQuiet();
  }, [ready]);

  if (fatal) {
    return (
      <main className="center-screen" role="alert">
        <h1>{t('errors.generic')}</h1>
        <p>{tm(t, fatal.message)}</p>
      </main>
    );
  }
  if (!ready) {
    return (
      <main className="center-screen" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    );
  }
  if (needsSetup) {
    return (
      <>
        <WelcomeView />
        <Toasts />
      </>
    );
  }
  return (
    <div className="app">
      <Sidebar />
      <div className="main-column">
        <OfflineBanner />
        <NotifyPrompt />
        <main className="content" id="content">
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            {view === 'activities' ? <ActivitiesView /> : null}
            {view === 'compose' ? <ComposeView /> : null}
            {view === 'properties' ? <PropertiesView /> : null}
            {view === 'settings' ? <SettingsView /> : null}
            {view === 'help' ? <HelpView /> : null}
          </Suspense>
        </main>
      </div>
      <Toasts />
    </div>
  );
}
