import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsDto } from '../../src-shared/ipc';
import { msg } from '../../src-shared/messages';
import {
  DOMAIN_CHECK_MESSAGES,
  DomainCheckFailure,
  type TrackingDomain,
} from '../../src-shared/tracking-domain';
import { exactTime } from '../lib/format';
import { tm } from '../lib/messages';
import { call, useApp } from '../store/app';

/**
 * Issue 20: the account's own tracking domain. An admin sets or removes it and sees the steps
 * outside Blitz (DNS record, certificate, nginx); an agent sees which address links use.
 */
export function TrackingDomainSection({ settings, isAdmin }: { settings: SettingsDto; isAdmin: boolean }) {
  const { t } = useTranslation();
  const domain = settings.trackingDomain ?? null;
  const [host, setHost] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (op: () => ReturnType<typeof call<'trackingDomain.set'>>) => {
    setBusy(true);
    setError(null);
    const res = await op();
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    useApp.setState({ settings: res.value });
    setHost('');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => call('trackingDomain.set', { host }));
  };

  return (
    <section
      className="card"
      aria-labelledby="settings-tracking-domain"
      data-testid="settings-tracking-domain"
    >
      <h2 id="settings-tracking-domain">{t('trackingDomain.title')}</h2>
      <p className="muted">{t('trackingDomain.intro')}</p>
      {domain && domain.state === 'verified' ? (
        <p data-testid="tracking-domain-current">
          {t('trackingDomain.current')} <code>{domain.baseUrl}</code>
        </p>
      ) : domain ? (
        <p data-testid="tracking-domain-current">
          {t('trackingDomain.notYet', { url: settings.collector?.url ?? '', host: domain.host })}
        </p>
      ) : (
        <p data-testid="tracking-domain-current">
          {t('trackingDomain.none', { url: settings.collector?.url ?? '' })}
        </p>
      )}
      {domain ? <DomainCheckStatus domain={domain} /> : null}
      {isAdmin ? (
        <form className="stack" onSubmit={submit}>
          <label className="field">
            <span>{t('trackingDomain.label')}</span>
            <input
              type="text"
              value={host}
              placeholder={domain?.host ?? t('trackingDomain.placeholder')}
              onChange={(e) => setHost(e.target.value)}
              disabled={busy}
              spellCheck={false}
              autoCapitalize="off"
              data-testid="tracking-domain-input"
            />
          </label>
          <div className="button-row">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || host.trim() === ''}
              data-testid="tracking-domain-save"
            >
              {t('trackingDomain.save')}
            </button>
            {domain ? (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void run(() => call('trackingDomain.verify', {}))}
                data-testid="tracking-domain-verify"
              >
                {busy ? t('trackingDomain.checking') : t('trackingDomain.verify')}
              </button>
            ) : null}
            {domain ? (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void run(() => call('trackingDomain.remove', {}))}
                data-testid="tracking-domain-remove"
              >
                {t('trackingDomain.remove')}
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <p className="muted">{t('settings.admin.onlyAdmin')}</p>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {isAdmin && domain ? (
        <div className="domain-steps" data-testid="tracking-domain-steps">
          <h3>{t('trackingDomain.stepsTitle')}</h3>
          <p className="banner banner-warn" role="note">
            {t('trackingDomain.order')}
          </p>
          <p>{t('trackingDomain.stepDns')}</p>
          <pre className="domain-code">{domain.setup.dns.record}</pre>
          <p>{t('trackingDomain.stepCert')}</p>
          <pre className="domain-code">{domain.setup.acme.certbotWebroot}</pre>
          <details>
            <summary>{t('trackingDomain.otherClients')}</summary>
            <pre className="domain-code">{domain.setup.acme.acmeShWebroot}</pre>
            <pre className="domain-code">{domain.setup.acme.certbotDns}</pre>
            <pre className="domain-code">{domain.setup.acme.acmeShDns}</pre>
          </details>
          <details>
            <summary>{t('trackingDomain.stepNginx')}</summary>
            <pre className="domain-code">{domain.setup.nginx}</pre>
          </details>
        </div>
      ) : null}
    </section>
  );
}

/**
 * Issue 20: where the collector's probe of the domain stands — waiting, failed (what, in words,
 * and the precise error behind „Technische Details“), live, or live but failing (links already
 * sent point there: loud, and not taken out of use).
 */
function DomainCheckStatus({ domain }: { domain: TrackingDomain }) {
  const { t, i18n } = useTranslation();
  const check = domain.lastCheck;
  const when = (iso: string | null) => (iso ? exactTime(iso, i18n.language) : '–');
  const failure = (code: string | null) => {
    const known = DomainCheckFailure.safeParse(code);
    return tm(
      t,
      msg(known.success ? DOMAIN_CHECK_MESSAGES[known.data] : 'trackingDomainCheckFailed', {
        host: domain.host,
      }),
    );
  };
  const details =
    check && !check.ok && check.detail ? (
      <details>
        <summary>{t('trackingDomain.details')}</summary>
        <pre className="domain-code">{check.detail}</pre>
      </details>
    ) : null;
  if (domain.state === 'verified' && check && !check.ok)
    return (
      <div className="banner banner-warn domain-status" role="alert" data-testid="tracking-domain-status">
        <strong>{t('trackingDomain.liveFailing', { time: when(check.at) })}</strong>
        <p>{failure(check.code)}</p>
        <p>{t('trackingDomain.liveFailingWhy')}</p>
        {details}
      </div>
    );
  if (domain.state === 'verified')
    return (
      <p className="domain-status domain-ok" data-testid="tracking-domain-status">
        {t('trackingDomain.verified', { time: when(check?.at ?? domain.verifiedAt) })}
      </p>
    );
  if (domain.state === 'failed' && check)
    return (
      <div className="banner banner-warn domain-status" role="status" data-testid="tracking-domain-status">
        <strong>{t('trackingDomain.failed', { time: when(check.at) })}</strong>
        <p>{failure(check.code)}</p>
        <p>{t('trackingDomain.retry', { time: when(domain.nextCheckAt) })}</p>
        {details}
      </div>
    );
  return (
    <p className="domain-status muted" data-testid="tracking-domain-status">
      {t('trackingDomain.pending')}
    </p>
  );
}
