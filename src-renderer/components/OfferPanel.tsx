import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfferStatus } from '../../src-shared/api';
import type { ActivityDto, OfferEvidenceDto, OfferStateDto } from '../../src-shared/ipc';
import type { AppError } from '../../src-shared/result';
import { evidenceTime } from '../lib/format';
import { tm } from '../lib/messages';
import { call, useApp } from '../store/app';
import { EvidenceExport } from './EvidenceExport';

/** the core says what did not happen and why, in the UI's language */
function errorText(t: ReturnType<typeof useTranslation>['t'], e: Pick<AppError, 'message'>): string {
  return tm(t, e.message);
}

/**
 * The „Angebot“ panel of an offer activity: its status on the collector (withdraw, mark sold,
 * reactivate — each confirmed first, since prospects see the change at once) and the legal
 * evidence („Nachweise“), which only the collector keeps and which is loaded when asked for.
 */
export function OfferPanel({ activity: a }: { activity: ActivityDto }) {
  const { t } = useTranslation();
  const [offer, setOffer] = useState<OfferStateDto | null>(null);
  const [asking, setAsking] = useState<OfferStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [showEvidence, setShowEvidence] = useState(false);

  // the offer gets its id when the outbox publishes it, so the outbox state is a reason to ask again
  // (the panel is keyed by the activity, so nothing needs resetting when another one is selected)
  useEffect(() => {
    let stale = false;
    void call('offers.get', { activityId: a.id }).then((r) => {
      if (stale) return;
      if (r.ok) setOffer(r.value);
      else setError(r.error);
    });
    return () => {
      stale = true;
    };
  }, [a.id, a.outboxState]);

  if (!offer || offer.activityId !== a.id) {
    return error ? (
      <p className="form-error" role="alert">
        {errorText(t, error)}
      </p>
    ) : null;
  }
  const status = offer.status;

  const change = async (to: OfferStatus) => {
    setBusy(true);
    setError(null);
    const r = await call('offers.status', { activityId: a.id, status: to });
    setBusy(false);
    setAsking(null);
    if (r.ok) setOffer(r.value);
    else setError(r.error);
  };

  return (
    <section className="outbox-panel" data-testid="offer-panel" aria-labelledby="offer-panel-title">
      <div>
        <strong id="offer-panel-title">{t('offerPanel.title')}</strong>{' '}
        {status ? (
          <>
            <span
              className={`chip${status === 'active' ? ' chip-ok' : ' chip-warn'}`}
              data-testid="offer-status"
              data-status={status}
            >
              {t(`offerPanel.status.${status}`)}
            </span>
            <span className="outbox-explain muted">{t(`offerPanel.explain.${status}`)}</span>
          </>
        ) : (
          <span className="outbox-explain muted" data-testid="offer-status">
            {t('offerPanel.unpublished')}
          </span>
        )}
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="offer-error">
          {errorText(t, error)}
        </p>
      ) : null}
      {status && asking ? (
        <div className="note stack" role="alertdialog" aria-label={t(`offerPanel.ask.${asking}`)}>
          <p>{t(`offerPanel.confirm.${asking}`)}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary btn-small"
              data-testid="offer-confirm"
              disabled={busy}
              onClick={() => void change(asking)}
            >
              {busy ? t('offerPanel.working') : t(`offerPanel.yes.${asking}`)}
            </button>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              disabled={busy}
              onClick={() => setAsking(null)}
            >
              {t('offerPanel.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {status && !asking ? (
        <div className="button-row">
          {(status === 'active' ? (['withdrawn', 'sold'] as const) : (['active'] as const)).map((to) => (
            <button
              key={to}
              type="button"
              className="btn btn-small"
              data-testid={`offer-${to}`}
              onClick={() => {
                setError(null);
                setAsking(to);
              }}
            >
              {t(`offerPanel.ask.${to}`)}
            </button>
          ))}
          <button
            type="button"
            className="btn btn-small"
            data-testid="evidence-toggle"
            aria-expanded={showEvidence}
            onClick={() => setShowEvidence((v) => !v)}
          >
            {t(showEvidence ? 'offerPanel.evidence.hide' : 'offerPanel.evidence.show')}
          </button>
        </div>
      ) : null}
      {status ? <EvidenceExport activity={a} /> : null}
      {status && showEvidence ? <EvidenceList activity={a} /> : null}
    </section>
  );
}

function EvidenceList({ activity: a }: { activity: ActivityDto }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<OfferEvidenceDto[] | null>(null);
  // after a failed refresh the earlier answer stays on screen, so it says when it was fetched
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const [error, setError] = useState<Pick<AppError, 'code' | 'message'> | null>(null);
  const [reloads, setReloads] = useState(0);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  // a confirmation arriving in the open feed means there is new evidence to show
  const confirmations = useApp((s) =>
    s.feed?.activityId === a.id ? s.feed.items.filter((i) => i.type === 'landing.legal_confirmed').length : 0,
  );
  const key = `${a.id}:${confirmations}:${reloads}`;
  const loading = loadedKey !== key;

  useEffect(() => {
    let stale = false;
    void call('offers.evidence', { activityId: a.id }).then((r) => {
      if (stale) return;
      setLoadedKey(key);
      if (r.ok) {
        // offline the core answers with the copy it kept, and why it could not ask
        setItems(r.value.evidence);
        setLoadedAt(r.value.fetchedAt);
        setError(r.value.offline);
      } else setError(r.error);
    });
    return () => {
      stale = true;
    };
  }, [a.id, key]);

  return (
    <div className="stack" data-testid="evidence">
      <div className="feed-head">
        <h3>
          {t('offerPanel.evidence.title')}
          {items ? ` (${items.length})` : ''}
        </h3>
        <button
          type="button"
          className="link-button small"
          disabled={loading}
          onClick={() => setReloads((n) => n + 1)}
        >
          {loading ? t('app.loading') : t('offerPanel.evidence.reload')}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="evidence-error">
          {errorText(t, error)}
        </p>
      ) : null}
      {items && items.length === 0 ? <p className="muted">{t('offerPanel.evidence.empty')}</p> : null}
      {items && items.length > 0 ? (
        <>
          <p className="muted small">
            {t('offerPanel.evidence.intro')}{' '}
            {loadedAt
              ? t('offerPanel.evidence.loadedAt', { time: evidenceTime(loadedAt, i18n.language) })
              : null}
          </p>
          <ol className="evidence-list">
            {items.map((e) => (
              <EvidenceItem key={e.id} e={e} />
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}

function EvidenceItem({ e }: { e: OfferEvidenceDto }) {
  const { t, i18n } = useTranslation();
  const [copied, setCopied] = useState(false);
  const who = e.recipientName
    ? `${e.recipientName} <${e.recipientEmail ?? ''}>`
    : (e.recipientEmail ?? t('feed.someone'));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(e.wordingSha256);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // no clipboard (insecure context, denied): the full hash is selectable in the title and the text
    }
  };
  return (
    <li className="card evidence-item" data-testid="evidence-item" data-confirmation={e.confirmation}>
      <div className="feed-text">
        <strong>{t(`offerPanel.confirmation.${e.confirmation}`, { defaultValue: e.confirmation })}</strong> ·{' '}
        {who}
      </div>
      <dl className="detail-facts">
        <div>
          <dt>{t('offerPanel.evidence.time')}</dt>
          <dd>
            <time dateTime={e.confirmedAt} title={e.confirmedAt}>
              {evidenceTime(e.confirmedAt, i18n.language)}
            </time>
            {e.repeatCount && e.lastSeenAt ? (
              <span className="muted small" data-testid="evidence-repeats">
                {' '}
                ·{' '}
                {t('offerPanel.evidence.repeats', {
                  count: e.repeatCount,
                  time: evidenceTime(e.lastSeenAt, i18n.language),
                })}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('offerPanel.evidence.ip')}</dt>
          <dd>
            <code data-testid="evidence-ip">{e.ip}</code>
          </dd>
        </div>
        <div>
          <dt>{t('offerPanel.evidence.hash')}</dt>
          <dd>
            <code title={e.wordingSha256} data-testid="evidence-hash" data-sha256={e.wordingSha256}>
              {e.wordingSha256.slice(0, 12)}…{e.wordingSha256.slice(-4)}
            </code>{' '}
            {e.wordingVerified ? (
              <span className="status-ok small" data-testid="evidence-verified">
                ✓ {t('offerPanel.evidence.verified')}
              </span>
            ) : (
              <span className="status-bad small" role="alert" data-testid="evidence-unverified">
                ✗ {t('offerPanel.evidence.unverified')}
              </span>
            )}{' '}
            <button type="button" className="link-button small" onClick={() => void copy()}>
              {copied ? t('offerPanel.evidence.copied') : t('offerPanel.evidence.copy')}
            </button>
          </dd>
        </div>
      </dl>
      <details>
        <summary className="link-button small">{t('offerPanel.evidence.wording')}</summary>
        <blockquote className="legal evidence-wording" data-testid="evidence-wording">
          {e.wording}
        </blockquote>
        <p className="muted small">
          {t('offerPanel.evidence.policy', { version: e.policyVersion })} ·{' '}
          {t('offerPanel.evidence.hashFull')}: <code>{e.wordingSha256}</code> ·{' '}
          {t('offerPanel.evidence.browser')}: {e.userAgent}
        </p>
      </details>
    </li>
  );
}
