import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../src-shared/result';
import { call, useApp } from '../store/app';
import { Bolt } from './Bolt';
import { tm } from '../lib/messages';

/** errors that tell the user to fix something in Settings, which is not reachable from here */
const WELCOME_ERRORS = new Set([
  'collector_unauthorized',
  'collector_token_missing',
  'collector_unreachable',
]);

export function WelcomeView() {
  const { t } = useTranslation();
  const reloadSettings = useApp((s) => s.reloadSettings);
  const loadActivities = useApp((s) => s.loadActivities);
  const [busy, setBusy] = useState<'local' | 'remote' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const explain = (e: AppError): string =>
    WELCOME_ERRORS.has(e.code) ? t(`firstHour.welcome.errors.${e.code}`) : tm(t, e.message);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');

  const done = async () => {
    await reloadSettings();
    await loadActivities();
  };

  const startLocal = async () => {
    setBusy('local');
    setError(null);
    const res = await call('settings.startLocalTestMode', {});
    setBusy(null);
    if (!res.ok) return setError(explain(res.error));
    await done();
  };

  const connect = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('remote');
    setError(null);
    const res = await call('settings.saveCollector', { url: url.trim(), token: token.trim() || undefined });
    setBusy(null);
    if (!res.ok) return setError(explain(res.error));
    await done();
  };

  return (
    <main className="welcome" data-testid="welcome">
      <div className="welcome-inner">
        <div className="welcome-head">
          <Bolt active size={40} />
          <h1>{t('welcome.title')}</h1>
        </div>
        <p className="lead">{t('welcome.intro')}</p>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="welcome-cards">
          <section className="card" aria-labelledby="welcome-remote">
            <h2 id="welcome-remote">{t('welcome.remoteTitle')}</h2>
            <p className="muted">{t('welcome.remoteText')}</p>
            <form onSubmit={(e) => void connect(e)} className="stack">
              <label className="field">
                <span>{t('settings.collector.url')}</span>
                <input
                  type="url"
                  required
                  value={url}
                  placeholder="https://blitz.example.de"
                  onChange={(e) => setUrl(e.target.value)}
                />
              </label>
              <label className="field">
                <span>{t('settings.collector.token')}</span>
                <input
                  type="password"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  autoComplete="off"
                />
              </label>
              <button type="submit" className="btn btn-primary" disabled={busy !== null}>
                {t('welcome.connect')}
              </button>
            </form>
          </section>
          <section className="card" aria-labelledby="welcome-local">
            <h2 id="welcome-local">{t('welcome.localTitle')}</h2>
            <p className="muted">{t('firstHour.welcome.localText')}</p>
            <TryItSteps />
            <button
              type="button"
              className="btn"
              onClick={() => void startLocal()}
              disabled={busy !== null}
              data-testid="start-local"
            >
              {t('welcome.localButton')}
            </button>
          </section>
        </div>
      </div>
    </main>
  );
}

/** The four steps that show the product on one computer; also shown while the list is empty. */
export function TryItSteps() {
  const { t } = useTranslation();
  return (
    <div className="try-it" data-testid="try-it">
      <h3>{t('firstHour.welcome.tryTitle')}</h3>
      <ol>
        <li>{t('firstHour.welcome.try1')}</li>
        <li>{t('firstHour.welcome.try2')}</li>
        <li>{t('firstHour.welcome.try3')}</li>
        <li>{t('firstHour.welcome.try4')}</li>
      </ol>
      <p className="muted small">{t('firstHour.welcome.selfNote')}</p>
    </div>
  );
}
