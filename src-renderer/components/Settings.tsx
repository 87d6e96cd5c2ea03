import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES } from '../../src-shared/events';
import type {
  MailAccountInput,
  NotificationPrefs,
  SettingsDto,
  TestConnectionResult,
} from '../../src-shared/ipc';
import { call, useApp } from '../store/app';
import { ConsentSettingsSection } from './consent/ConsentSettingsSection';
import type { Message } from '../../src-shared/messages';
import { tm } from '../lib/messages';
import { exactTime } from '../lib/format';
import { TrackingDomainSection } from './TrackingDomainSection';
import { PrivacyAdminSection } from './PrivacyAdmin';

type Security = 'tls' | 'starttls' | 'none';

export function SettingsView() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  if (!settings) return null;
  const isAdmin = settings.collector?.user?.role === 'admin';
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('settings.title')}</h1>
      </header>
      <div className="page-body settings">
        {!settings.secretsEncrypted ? (
          <p className="banner banner-warn" role="note" data-testid="secrets-warning">
            {t('settings.secretsWeak')}
          </p>
        ) : null}
        <MailAccountSection settings={settings} />
        {settings.mailboxSignals ? <MailboxSection settings={settings} /> : null}
        <CollectorSection settings={settings} />
        {isAdmin ? <TrackingSection settings={settings} /> : null}
        {settings.collector && !settings.localTestMode ? (
          <TrackingDomainSection settings={settings} isAdmin={isAdmin} />
        ) : null}
        {isAdmin ? <ConsentSettingsSection settings={settings} /> : null}
        {isAdmin ? <PrivacyAdminSection /> : null}
        <NotificationSection prefs={settings.notifications} />
        <LanguageSection language={settings.language} />
      </div>
    </div>
  );
}

function Card({
  id,
  title,
  children,
  testId,
}: {
  id: string;
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function useSaved(): [string | null, (msg: string | null) => void] {
  const [msg, setMsg] = useState<string | null>(null);
  return [msg, setMsg];
}

interface ServerForm {
  host: string;
  port: string;
  security: Security;
  user: string;
  password: string;
}

function ServerFields({
  prefix,
  title,
  value,
  onChange,
  hasPassword,
}: {
  prefix: string;
  title: string;
  value: ServerForm;
  onChange: (v: ServerForm) => void;
  hasPassword: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="server-fields">
      <legend>{title}</legend>
      <div className="grid-3">
        <label className="field span-2">
          <span>{t('settings.mail.host')}</span>
          <input
            value={value.host}
            onChange={(e) => onChange({ ...value, host: e.target.value })}
            required
            data-testid={`${prefix}-host`}
          />
        </label>
        <label className="field">
          <span>{t('settings.mail.port')}</span>
          <input
            inputMode="numeric"
            value={value.port}
            onChange={(e) => onChange({ ...value, port: e.target.value.replace(/\D/g, '') })}
            required
            data-testid={`${prefix}-port`}
          />
        </label>
        <label className="field">
          <span>{t('settings.mail.security')}</span>
          <select
            value={value.security}
            onChange={(e) => onChange({ ...value, security: e.target.value as Security })}
            data-testid={`${prefix}-security`}
          >
            <option value="tls">{t('settings.mail.securityTls')}</option>
            <option value="starttls">{t('settings.mail.securityStarttls')}</option>
            <option value="none">{t('settings.mail.securityNone')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('settings.mail.user')}</span>
          <input
            value={value.user}
            onChange={(e) => onChange({ ...value, user: e.target.value })}
            autoComplete="off"
            data-testid={`${prefix}-user`}
          />
        </label>
        <label className="field">
          <span>{t('settings.mail.password')}</span>
          <input
            type="password"
            value={value.password}
            placeholder={hasPassword ? t('settings.mail.passwordKept') : ''}
            onChange={(e) => onChange({ ...value, password: e.target.value })}
            autoComplete="new-password"
            data-testid={`${prefix}-password`}
          />
        </label>
      </div>
    </fieldset>
  );
}

function MailAccountSection({ settings }: { settings: SettingsDto }) {
  const { t } = useTranslation();
  const m = settings.mailAccount;
  const [fromName, setFromName] = useState(m?.fromName ?? '');
  const [fromEmail, setFromEmail] = useState(m?.fromEmail ?? '');
  const [smtp, setSmtp] = useState<ServerForm>({
    host: m?.smtp.host ?? '',
    port: String(m?.smtp.port ?? 587),
    security: m?.smtp.security ?? 'starttls',
    user: m?.smtp.user ?? '',
    password: '',
  });
  const [imap, setImap] = useState<ServerForm>({
    host: m?.imap.host ?? '',
    port: String(m?.imap.port ?? 993),
    security: m?.imap.security ?? 'tls',
    user: m?.imap.user ?? '',
    password: '',
  });
  const [sentFolder, setSentFolder] = useState(m?.imap.sentFolder ?? '');
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useSaved();
  const [test, setTest] = useState<TestConnectionResult | null>(null);
  const setSettings = (s: SettingsDto) => useApp.setState({ settings: s });

  const input = (): MailAccountInput => ({
    fromName: fromName.trim(),
    fromEmail: fromEmail.trim(),
    smtp: {
      host: smtp.host.trim(),
      port: Number(smtp.port),
      security: smtp.security,
      user: smtp.user,
      ...(smtp.password !== '' ? { password: smtp.password } : {}),
    },
    imap: {
      host: imap.host.trim(),
      port: Number(imap.port),
      security: imap.security,
      user: imap.user,
      ...(imap.password !== '' ? { password: imap.password } : {}),
      ...(sentFolder.trim() !== '' ? { sentFolder: sentFolder.trim() } : {}),
    },
  });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    setError(null);
    setSaved(null);
    const res = await call('settings.saveMailAccount', input());
    setBusy(null);
    if (!res.ok) return setError(tm(t, res.error.message));
    setSettings(res.value);
    setSaved(t('settings.saved'));
  };

  const runTest = async () => {
    setBusy('test');
    setError(null);
    setTest(null);
    const res = await call('settings.testMailAccount', input());
    setBusy(null);
    if (!res.ok) return setError(tm(t, res.error.message));
    setTest(res.value);
  };

  return (
    <Card id="settings-mail" title={t('settings.mail.title')} testId="settings-mail">
      <form onSubmit={(e) => void save(e)} className="stack">
        <div className="grid-2">
          <label className="field">
            <span>{t('settings.mail.fromName')}</span>
            <input
              value={fromName}
              onChange={(e) => setFromName(e.target.value)}
              data-testid="mail-fromName"
            />
          </label>
          <label className="field">
            <span>{t('settings.mail.fromEmail')}</span>
            <input
              type="email"
              value={fromEmail}
              onChange={(e) => setFromEmail(e.target.value)}
              required
              data-testid="mail-fromEmail"
            />
          </label>
        </div>
        <ServerFields
          prefix="smtp"
          title={t('settings.mail.smtp')}
          value={smtp}
          onChange={setSmtp}
          hasPassword={m?.smtp.hasPassword ?? false}
        />
        <ServerFields
          prefix="imap"
          title={t('settings.mail.imap')}
          value={imap}
          onChange={setImap}
          hasPassword={m?.imap.hasPassword ?? false}
        />
        <label className="field">
          <span>{t('settings.mail.sentFolder')}</span>
          <input
            value={sentFolder}
            onChange={(e) => setSentFolder(e.target.value)}
            data-testid="imap-sentFolder"
          />
        </label>
        {test ? (
          <ul className="test-results" data-testid="mail-test-result">
            <TestLine
              label="SMTP"
              result={test.smtp}
              // a server without AUTH accepted no password: nothing is wrong, but nothing was checked
              tone={!test.smtp.ok ? 'bad' : test.smtp.login === 'checked' ? 'ok' : 'warn'}
              testId="mail-test-smtp"
            />
            <TestLine
              label="IMAP"
              result={test.imap}
              tone={test.imap.ok ? 'ok' : 'bad'}
              testId="mail-test-imap"
            />
          </ul>
        ) : null}
        <FormFeedback error={error} saved={saved} />
        <div className="button-row">
          <button
            type="button"
            className="btn"
            onClick={() => void runTest()}
            disabled={busy !== null}
            data-testid="mail-test"
          >
            {busy === 'test' ? t('settings.mail.testing') : t('settings.mail.test')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="mail-save">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/** one line of the connection test: what it means, and the server's raw reply behind „Details“ */
function TestLine({
  label,
  result,
  tone,
  testId,
}: {
  label: string;
  result: { message: Message; detail: string | null };
  tone: 'ok' | 'warn' | 'bad';
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <li className={tone} data-testid={testId} data-tone={tone}>
      <strong>{label}:</strong> {tm(t, result.message)}
      {result.detail ? (
        <details className="error-details">
          <summary>{t('errors.details')}</summary>
          <code>{result.detail}</code>
        </details>
      ) : null}
    </li>
  );
}

function CollectorSection({ settings }: { settings: SettingsDto }) {
  const { t } = useTranslation();
  const status = useApp((s) => s.status);
  const c = settings.collector;
  const [url, setUrl] = useState(c?.url ?? '');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useSaved();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    const res = await call('settings.saveCollector', {
      url: url.trim(),
      ...(token.trim() ? { token: token.trim() } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    useApp.setState({ settings: res.value });
    setToken('');
    setSaved(t('settings.saved'));
  };

  return (
    <Card id="settings-collector" title={t('settings.collector.title')} testId="settings-collector">
      {settings.localTestMode ? (
        <div className="note" data-testid="local-mode-note">
          <strong>{t('settings.collector.local')}</strong>
          <p>{t('settings.collector.localText')}</p>
        </div>
      ) : null}
      {c?.user ? (
        <p className="muted">
          {t('settings.collector.connectedAs', {
            name: c.user.name,
            email: c.user.email,
            role: t(`settings.collector.role.${c.user.role}`),
          })}
          {status ? (
            <span
              className={
                status.collectorReachable === null
                  ? 'muted'
                  : status.collectorReachable
                    ? 'status-ok'
                    : 'status-bad'
              }
            >
              {' '}
              ·{' '}
              {status.collectorReachable === null
                ? t('settings.collector.checking')
                : status.collectorReachable
                  ? t('settings.collector.reachable')
                  : t('settings.collector.unreachable')}
            </span>
          ) : null}
        </p>
      ) : null}
      <form onSubmit={(e) => void save(e)} className="stack">
        <div className="grid-2">
          <label className="field">
            <span>{t('settings.collector.url')}</span>
            <input
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              required
              data-testid="collector-url"
            />
          </label>
          <label className="field">
            <span>{t('settings.collector.token')}</span>
            <input
              type="password"
              value={token}
              placeholder={c?.hasToken ? t('settings.collector.tokenKept') : ''}
              onChange={(e) => setToken(e.target.value)}
              autoComplete="off"
              data-testid="collector-token"
            />
          </label>
        </div>
        <FormFeedback error={error} saved={saved} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="collector-save">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

function TrackingSection({ settings }: { settings: SettingsDto }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card id="settings-tracking" title={t('settings.admin.path')} testId="settings-tracking">
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={settings.trackingEnabled}
          disabled={busy}
          onChange={async (e) => {
            setBusy(true);
            setError(null);
            const res = await call('settings.setTrackingEnabled', { enabled: e.target.checked });
            setBusy(false);
            if (!res.ok) return setError(tm(t, res.error.message));
            useApp.setState({ settings: res.value });
          }}
          data-testid="tracking-switch"
        />
        <span className="switch-track" aria-hidden="true" />
        <span>{t('settings.admin.tracking')}</span>
      </label>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={settings.sharesNetworkWithProspects === true}
          disabled={busy}
          onChange={async (e) => {
            setBusy(true);
            setError(null);
            const res = await call('settings.setSharesNetwork', { shared: e.target.checked });
            setBusy(false);
            if (!res.ok) return setError(tm(t, res.error.message));
            useApp.setState({ settings: res.value });
          }}
          data-testid="shared-network-switch"
        />
        <span className="switch-track" aria-hidden="true" />
        <span>{t('hold.sharedNetwork')}</span>
      </label>
      <p className="muted">{t('hold.sharedNetworkHelp')}</p>
      <FormFeedback error={error} />
      <p className="legal">{t('settings.admin.legal')}</p>
      <p className="muted">{t('settings.admin.incomplete')}</p>
    </Card>
  );
}

function NotificationSection({ prefs }: { prefs: NotificationPrefs }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const update = async (next: NotificationPrefs) => {
    setError(null);
    const res = await call('settings.setNotificationPrefs', next);
    if (!res.ok) return setError(tm(t, res.error.message));
    useApp.setState({ settings: res.value });
  };
  return (
    <Card id="settings-notifications" title={t('settings.notifications.title')}>
      <label className="check">
        <input
          type="checkbox"
          checked={prefs.enabled}
          onChange={(e) => void update({ ...prefs, enabled: e.target.checked })}
        />
        <span>{t('settings.notifications.enabled')}</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={prefs.sound}
          disabled={!prefs.enabled}
          onChange={(e) => void update({ ...prefs, sound: e.target.checked })}
        />
        <span>{t('settings.notifications.sound')}</span>
      </label>
      <fieldset className="type-list" disabled={!prefs.enabled}>
        <legend>{t('settings.notifications.types')}</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={prefs.types[type] ?? true}
              onChange={(e) => void update({ ...prefs, types: { ...prefs.types, [type]: e.target.checked } })}
            />
            <span>{t(`eventTypeName.${type}`)}</span>
          </label>
        ))}
      </fieldset>
      <FormFeedback error={error} />
    </Card>
  );
}

function LanguageSection({ language }: { language: 'de' | 'en' }) {
  const { t } = useTranslation();
  return (
    <Card id="settings-language" title={t('settings.language.title')}>
      <label className="field inline">
        <span>{t('settings.language.label')}</span>
        <select
          value={language}
          onChange={async (e) => {
            const res = await call('settings.setLanguage', {
              language: e.target.value === 'en' ? 'en' : 'de',
            });
            if (res.ok) useApp.setState({ settings: res.value });
          }}
          data-testid="language"
        >
          <option value="de">{t('settings.language.de')}</option>
          <option value="en">{t('settings.language.en')}</option>
        </select>
      </label>
    </Card>
  );
}

/** a form's outcome: its error (announced as an alert) or the confirmation that it was saved */
function FormFeedback({ error, saved = null }: { error: string | null; saved?: string | null }) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {saved ? (
        <p className="form-ok" role="status">
          {saved}
        </p>
      ) : null}
    </>
  );
}

/** issue 19: replies, bounces and out-of-office answers from the INBOX; off until switched on */
function MailboxSection({ settings }: { settings: SettingsDto }) {
  const { t, i18n } = useTranslation();
  const mb = settings.mailboxSignals!;
  const [folder, setFolder] = useState(mb.folder);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (enabled: boolean, f: string) => {
    setBusy(true);
    setError(null);
    const res = await call('settings.setMailboxSignals', { enabled, folder: f.trim() || 'INBOX' });
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    useApp.setState({ settings: res.value });
  };
  return (
    <Card id="settings-mailbox" title={t('mailbox.settingsTitle')} testId="settings-mailbox">
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={mb.enabled}
          disabled={busy}
          onChange={(e) => void save(e.target.checked, folder)}
          data-testid="mailbox-switch"
        />
        <span className="switch-track" aria-hidden="true" />
        <span>{t('mailbox.settingsSwitch')}</span>
      </label>
      <p className="muted">{t('mailbox.settingsHelp')}</p>
      <form
        className="mailbox-folder-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(mb.enabled, folder);
        }}
      >
        <label className="field">
          <span>{t('mailbox.settingsFolder')}</span>
          <input
            value={folder}
            maxLength={200}
            onChange={(e) => setFolder(e.target.value)}
            data-testid="mailbox-folder"
          />
        </label>
        <button type="submit" className="btn" disabled={busy || folder.trim() === mb.folder}>
          {t('mailbox.settingsSave')}
        </button>
      </form>
      {mb.enabled && mb.lastScanAt && !mb.error ? (
        <p className="muted small" data-testid="mailbox-last-scan">
          {t('mailbox.lastScan', { time: exactTime(mb.lastScanAt, i18n.language) })}
        </p>
      ) : null}
      {mb.error ? <p className="form-error">{tm(t, mb.error)}</p> : null}
      <FormFeedback error={error} />
    </Card>
  );
}
