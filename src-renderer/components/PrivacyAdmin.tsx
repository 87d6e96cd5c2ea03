import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrivacyOverviewDto } from '../../src-shared/ipc-privacy';
import { tm } from '../lib/messages';
import { call } from '../store/app';

/** a file the core handed over, saved by the browser's download (Electron and the browser host alike) */
function download(name: string, type: string, data: BlobPart): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** „Ereignisse 3, Nachweise 2“: the kinds of the collector's parts in the UI's language */
function summary(t: (key: string, o?: Record<string, unknown>) => string, counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${t(`privacyAdmin.kinds.${k}`, { defaultValue: k })} ${n}`)
    .join(', ');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Issue 17 part 2, Verwaltung › Datenschutz (admins only): legal holds, the subject export
 * (auskunft.json + auskunft.pdf) and the erasure of a contact, with the retention rule in words.
 */
export function PrivacyAdminSection() {
  const { t, i18n } = useTranslation();
  const [overview, setOverview] = useState<PrivacyOverviewDto | null>(null);
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    void call('privacy.overview', {}).then((r) => (r.ok ? setOverview(r.value) : setError(tm(t, r.error.message))));
  }, [t]);

  const valid = (needReason: boolean): boolean => {
    if (!EMAIL.test(email.trim())) return setError(t('privacyAdmin.needEmail')), false;
    if (needReason && reason.trim().length < 3) return setError(t('privacyAdmin.needReason')), false;
    return true;
  };

  async function run<T>(fn: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: Parameters<typeof tm>[1] } }>, then: (v: T) => void) {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await fn();
    setBusy(false);
    if (!r.ok) return setError(tm(t, r.error.message));
    then(r.value);
  }

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'de-DE');

  return (
    <section className="card" aria-labelledby="settings-privacy" data-testid="settings-privacy">
      <h2 id="settings-privacy">{t('privacyAdmin.title')}</h2>
      <p className="muted" data-testid="privacy-retention">
        {t('privacyAdmin.retention', { days: overview?.retentionDays ?? 365 })}
      </p>
      <div className="stack">
        <label className="field">
          <span>{t('privacyAdmin.email')}</span>
          <input
            type="email"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setConfirming(false);
            }}
            data-testid="privacy-email"
          />
        </label>
        <label className="field">
          <span>{t('privacyAdmin.reason')}</span>
          <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="privacy-reason" />
        </label>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={busy}
          data-testid="privacy-set-hold"
          onClick={() =>
            valid(true) &&
            void run(
              () => call('privacy.setHold', { email: email.trim(), reason: reason.trim() }),
              (v) => {
                setOverview(v);
                setDone(t('privacyAdmin.holdSet', { email: email.trim().toLowerCase() }));
              },
            )
          }
        >
          {t('privacyAdmin.setHold')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          data-testid="privacy-export"
          onClick={() =>
            valid(false) &&
            void run(
              () => call('privacy.export', { email: email.trim() }),
              (v) => {
                download('auskunft.json', 'application/json', v.json);
                const bytes = Uint8Array.from(atob(v.pdfBase64), (ch) => ch.charCodeAt(0));
                download('auskunft.pdf', 'application/pdf', bytes);
                const rows = Object.values(v.counts).reduce((a, b) => a + b, 0);
                setDone(t('privacyAdmin.exported', { email: v.email, rows }));
              },
            )
          }
        >
          {t('privacyAdmin.export')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          data-testid="privacy-erase"
          onClick={() => {
            setDone(null);
            if (valid(true)) setConfirming(true);
          }}
        >
          {t('privacyAdmin.erase')}
        </button>
      </div>
      {confirming ? (
        <div className="banner banner-warn" role="alertdialog" data-testid="privacy-erase-confirm">
          <p>{t('privacyAdmin.eraseWarning', { email: email.trim() })}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              data-testid="privacy-erase-go"
              onClick={() =>
                void run(
                  () => call('privacy.erase', { email: email.trim(), reason: reason.trim() }),
                  (v) => {
                    setConfirming(false);
                    if (v.kept.length > 0)
                      setDone(
                        t('privacyAdmin.kept', {
                          hold: v.kept[0]!.hold,
                          summary: summary(t, Object.fromEntries(v.kept.map((k) => [k.kind, k.count]))),
                        }),
                      );
                    else if (Object.keys(v.erased).length === 0) setDone(t('privacyAdmin.erasedNothing'));
                    else setDone(t('privacyAdmin.erased', { summary: summary(t, v.erased) }));
                  },
                )
              }
            >
              {t('privacyAdmin.eraseConfirm')}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t('privacyAdmin.eraseCancel')}
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {done ? (
        <p className="form-ok" role="status" data-testid="privacy-done">
          {done}
        </p>
      ) : null}
      <h3>{t('privacyAdmin.holdsTitle')}</h3>
      {overview && overview.holds.length === 0 ? <p className="muted">{t('privacyAdmin.noHolds')}</p> : null}
      <ul className="privacy-holds" data-testid="privacy-holds">
        {overview?.holds.map((h) => (
          <li key={h.email} data-testid="privacy-hold">
            <strong>{h.email}</strong> — {h.reason}{' '}
            <span className="muted">{t('privacyAdmin.holdSince', { date: when(h.setAt), by: h.setBy })}</span>{' '}
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              data-testid="privacy-lift"
              onClick={() =>
                void run(
                  () => call('privacy.liftHold', { email: h.email }),
                  (v) => {
                    setOverview(v);
                    setDone(t('privacyAdmin.holdLifted', { email: h.email }));
                  },
                )
              }
            >
              {t('privacyAdmin.lift')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
