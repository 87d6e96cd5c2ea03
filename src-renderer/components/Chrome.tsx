import type { StatusDto } from '../../src-shared/ipc';
import { useTranslation } from 'react-i18next';
import { relativeTime } from '../lib/format';
import { keepHyphenatedWords } from '../lib/nowrap';
import { useNow } from '../lib/use-now';
import { useApp, type View } from '../store/app';
import { Bolt } from './Bolt';
import { prefetchView } from './lazy-views';

const NAV: View[] = ['activities', 'compose', 'properties', 'settings', 'help'];

export function Sidebar() {
  const { t, i18n } = useTranslation();
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const status = useApp((s) => s.status);
  const unseen = useApp((s) => s.unseenCount);
  const now = useNow();
  return (
    <nav className="sidebar" aria-label="Hauptnavigation">
      <div className="brand">
        <Bolt active size={22} />
        <span>{t('app.name')}</span>
      </div>
      <ul>
        {NAV.map((v) => (
          <li key={v}>
            <button
              type="button"
              className={view === v ? 'nav-item active' : 'nav-item'}
              aria-current={view === v ? 'page' : undefined}
              onClick={() => setView(v)}
              onPointerEnter={() => prefetchView(v)}
              onFocus={() => prefetchView(v)}
              data-testid={`nav-${v}`}
            >
              <span>{t(`app.nav.${v}`)}</span>
              {v === 'activities' && unseen > 0 ? <span className="nav-badge">{unseen}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-status" aria-live="polite">
        {status?.outboxPending ? <div>{t('app.outboxPending', { count: status.outboxPending })}</div> : null}
        {status?.syncing ? (
          <>
            <div>{t('app.syncing')}</div>
            {status.syncProgress && status.syncProgress.events > 0 ? (
              <SyncProgressLine progress={status.syncProgress} />
            ) : null}
          </>
        ) : status?.lastSyncAt ? (
          <div>{t('app.lastSync', { time: relativeTime(status.lastSyncAt, i18n.language, now) })}</div>
        ) : null}
      </div>
    </nav>
  );
}

type Progress = NonNullable<StatusDto['syncProgress']>;

/** events so far and, when the collector says how many are left, the rest and a time estimate */
function SyncProgressLine({ progress }: { progress: Progress }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => x.toLocaleString(i18n.language);
  const time = (s: number) =>
    s < 90 ? t('syncProgress.seconds', { n: s }) : t('syncProgress.minutes', { n: Math.round(s / 60) });
  const parts = [t('syncProgress.loaded', { events: n(progress.events) })];
  if (progress.remaining !== null && progress.remaining > 0) {
    parts.push(t('syncProgress.rest', { remaining: n(progress.remaining) }));
    if (progress.etaSeconds !== null) parts.push(t('syncProgress.eta', { time: time(progress.etaSeconds) }));
  }
  return (
    <div data-testid="sync-progress">
      <div>{parts.join(', ')}</div>
      {progress.remaining !== null ? (
        <progress
          className="sync-progress"
          aria-label={t('syncProgress.label')}
          value={progress.events}
          max={progress.events + progress.remaining}
        />
      ) : null}
    </div>
  );
}

export function OfflineBanner() {
  const { t } = useTranslation();
  const show = useApp(
    (s) => s.status !== null && s.settings?.collector != null && s.status.collectorReachable === false,
  );
  if (!show) return null;
  return (
    <div className="banner banner-offline" role="status" data-testid="offline-banner">
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <span>
        <strong>{t('firstHour.offline.title')}</strong> {t('firstHour.offline.text')}
      </span>
    </div>
  );
}

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismissToast);
  const select = useApp((s) => s.select);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          {toast.activityId ? (
            <button
              type="button"
              className="toast-main"
              onClick={() => {
                select(toast.activityId ?? null);
                dismiss(toast.id);
              }}
            >
              <span className="toast-title">
                {toast.kind === 'notification' ? <Bolt active size={14} /> : null}
                <span>{keepHyphenatedWords(toast.title)}</span>
              </span>
              {toast.body ? <span className="toast-body">{toast.body}</span> : null}
            </button>
          ) : (
            <div className="toast-main">
              <span className="toast-title">
                <span>{keepHyphenatedWords(toast.title)}</span>
              </span>
              {toast.body ? <span className="toast-body">{toast.body}</span> : null}
            </div>
          )}
          <button
            type="button"
            className="toast-close"
            aria-label={t('app.close')}
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
