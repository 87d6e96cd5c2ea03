import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentMode, ConsentSettings } from '../../../src-shared/consent';
import type { SettingsDto } from '../../../src-shared/ipc';
import { tm } from '../../lib/messages';
import { call, useApp } from '../../store/app';
import './consent.css';

const SWITCHES = [
  ['trackOpens', 'consent.opens'],
  ['trackClicks', 'consent.clicks'],
  ['trackLanding', 'consent.landing'],
  ['withdrawalLink', 'consent.withdrawalLink'],
] as const;

/**
 * Issue 17, Verwaltung › Systemeinstellungen › Trackings: the account's default tracking mode and
 * the separate switches for opens, clicks and landing-page analytics (admin only; stored and
 * enforced on the collector).
 */
export function ConsentSettingsSection({ settings }: { settings: SettingsDto }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = settings.consent ?? null;
  const save = async (update: Partial<ConsentSettings>) => {
    setBusy(true);
    setError(null);
    const res = await call('consent.setSettings', update);
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    useApp.setState({ settings: res.value });
  };
  return (
    <section
      className="card consent-settings"
      aria-labelledby="settings-consent"
      data-testid="settings-consent"
    >
      <h2 id="settings-consent">{t('consent.settingsTitle')}</h2>
      {!c ? (
        <p className="muted">{t('consent.unknown')}</p>
      ) : (
        <>
          <label className="field">
            <span>{t('consent.defaultLabel')}</span>
            <select
              value={c.consentDefault}
              disabled={busy}
              onChange={(e) => void save({ consentDefault: e.target.value as ConsentMode })}
              data-testid="consent-default"
            >
              <option value="always">{t('consent.modes.always')}</option>
              <option value="after_consent">{t('consent.modes.after_consent')}</option>
              <option value="never">{t('consent.modes.never')}</option>
            </select>
          </label>
          {SWITCHES.map(([key, label]) => (
            <label className="switch" key={key}>
              <input
                type="checkbox"
                role="switch"
                checked={c[key]}
                disabled={busy}
                onChange={(e) => void save({ [key]: e.target.checked })}
                data-testid={`consent-switch-${key}`}
              />
              <span className="switch-track" aria-hidden="true" />
              <span>{t(label)}</span>
            </label>
          ))}
          <p className="muted">{t('consent.evidenceNote')}</p>
        </>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
