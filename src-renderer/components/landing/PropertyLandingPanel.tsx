import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PropertyLandingDto } from '../../../src-shared/ipc';
import { tm, translateMessage } from '../../lib/messages';
import { call } from '../../store/app';
import './landing.css';

type Status = PropertyLandingDto['status'];
const STATUSES: Status[] = ['available', 'reserved', 'sold'];

/**
 * Under a property: its marketing status, whether the buyer pays commission (which decides the
 * legal form's Widerruf and Provisionskenntnis), „alle Landing Pages sperren“, the account's
 * locking statuses and the Absage per prospect. Changes reach the landing pages via the collector.
 */
export function PropertyLandingPanel({ propertyId }: { propertyId: string }) {
  const { t } = useTranslation();
  const [dto, setDto] = useState<PropertyLandingDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    void call('landing.property', { propertyId }).then((r) => {
      if (stale) return;
      if (r.ok) setDto(r.value);
      else setError(translateMessage(r.error.message));
    });
    return () => {
      stale = true;
    };
  }, [propertyId]);

  const done = (r: Awaited<ReturnType<typeof call<'landing.property'>>>) => {
    if (r.ok) {
      setDto(r.value);
      setError(null);
    } else setError(tm(t, r.error.message));
  };
  if (!dto) return error ? <p className="form-error">{error}</p> : null;
  // shown at once (a checkbox must not jump back while the collector answers), then the answer
  const set = (patch: Partial<Pick<PropertyLandingDto, 'status' | 'lockAll' | 'buyerCommission'>>) => {
    setDto({ ...dto, ...patch });
    void call('landing.setProperty', {
      propertyId,
      status: patch.status ?? dto.status,
      lockAll: patch.lockAll ?? dto.lockAll,
      buyerCommission: patch.buyerCommission ?? dto.buyerCommission,
    }).then(done);
  };
  const locking = dto.lockStatuses;
  const lockedNow = dto.lockAll || (locking ?? []).includes(dto.status as 'reserved' | 'sold');

  return (
    <section className="card landing-panel" data-testid="landing-panel" aria-labelledby="landing-panel-h">
      <h2 id="landing-panel-h">{t('landingLegal.title')}</h2>
      <div className="grid-2">
        <label className="field">
          <span>{t('landingLegal.status')}</span>
          <select
            value={dto.status}
            onChange={(e) => set({ status: e.target.value as Status })}
            data-testid="landing-status"
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`landingLegal.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check-row">
          <input
            type="checkbox"
            checked={dto.buyerCommission}
            onChange={(e) => set({ buyerCommission: e.target.checked })}
            data-testid="landing-buyer-commission"
          />
          <span>{t('landingLegal.buyerCommission')}</span>
        </label>
      </div>
      <p className="muted small">{t('landingLegal.buyerCommissionHint')}</p>
      <label className="check-row">
        <input
          type="checkbox"
          checked={dto.lockAll}
          onChange={(e) => set({ lockAll: e.target.checked })}
          data-testid="landing-lock-all"
        />
        <span>{t('landingLegal.lockAll')}</span>
      </label>
      {locking ? (
        <fieldset className="inline-fieldset">
          <legend>{t('landingLegal.lockStatuses')}</legend>
          {(['reserved', 'sold'] as const).map((s) => (
            <label key={s} className="check-row">
              <input
                type="checkbox"
                checked={locking.includes(s)}
                onChange={(e) => {
                  const statuses = e.target.checked ? [...locking, s] : locking.filter((x) => x !== s);
                  setDto({ ...dto, lockStatuses: statuses });
                  void call('landing.setLockStatuses', { propertyId, statuses }).then(done);
                }}
                data-testid={`landing-lock-status-${s}`}
              />
              <span>{t(`landingLegal.statuses.${s}`)}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted small">{t('landingLegal.lockStatusesOffline')}</p>
      )}
      <p className={lockedNow ? 'note' : 'muted small'} data-testid="landing-lock-state">
        {lockedNow ? t('landingLegal.lockedNow') : t('landingLegal.openNow')}
      </p>
      <h3>{t('landingLegal.prospects')}</h3>
      {dto.prospects.length === 0 ? (
        <p className="muted small">{t('landingLegal.noProspects')}</p>
      ) : (
        <ul className="plain-list">
          {dto.prospects.map((p) => (
            <li key={p.email} className="prospect-row">
              <span>
                {p.name ? `${p.name} · ` : ''}
                {p.email}
              </span>
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={p.rejected}
                  onChange={(e) =>
                    void call('landing.setRejected', {
                      propertyId,
                      email: p.email,
                      rejected: e.target.checked,
                    }).then(done)
                  }
                  data-testid={`landing-reject-${p.email}`}
                />
                <span>{t('landingLegal.rejected')}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
