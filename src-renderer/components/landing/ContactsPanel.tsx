import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactLegalDto } from '../../../src-shared/ipc';
import { exactTime } from '../../lib/format';
import { tm, translateMessage } from '../../lib/messages';
import { call } from '../../store/app';
import { ConsentModeCell, useConsentContacts } from '../consent/ConsentModeCell';
import './landing.css';

/**
 * Kontakte: Verbraucher or Unternehmer (only consumers are asked for the Widerruf), archived
 * (their landing pages lock) and the Kontakterlaubnis a prospect gave on a landing page.
 */
export function ContactsPanel() {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<ContactLegalDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const consent = useConsentContacts();
  useEffect(() => {
    void call('landing.contacts', {}).then((r) =>
      r.ok ? setList(r.value) : setError(translateMessage(r.error.message)),
    );
  }, []);
  const update = async (email: string, patch: { kind?: ContactLegalDto['kind']; archived?: boolean }) => {
    // shown at once, then replaced by the stored state
    setList((l) =>
      l.map((c) =>
        c.email === email
          ? {
              ...c,
              ...(patch.kind ? { kind: patch.kind } : {}),
              ...(patch.archived !== undefined
                ? { archivedAt: patch.archived ? new Date().toISOString() : null }
                : {}),
            }
          : c,
      ),
    );
    const r = await call('landing.updateContact', { email, ...patch });
    if (!r.ok) return setError(tm(t, r.error.message));
    setError(null);
    setList((l) => l.map((c) => (c.email === email ? r.value : c)));
  };
  return (
    <div className="page-body contacts-panel" data-testid="contacts-panel">
      <p className="muted">{t('landingLegal.contactsIntro')}</p>
      <p className="muted">{t('consent.intro')}</p>
      {list.length === 0 ? <p className="muted">{t('landingLegal.noContacts')}</p> : null}
      <table className="contacts-table">
        <thead>
          <tr>
            <th>{t('landingLegal.contact')}</th>
            <th>{t('landingLegal.kind')}</th>
            <th>{t('consent.column')}</th>
            <th>{t('landingLegal.permission')}</th>
            <th>{t('landingLegal.archived')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr
              key={c.email}
              className={c.archivedAt ? 'archived' : undefined}
              data-testid={`contact-${c.email}`}
            >
              <td>
                {c.name ? <strong>{c.name}</strong> : null} <span className="muted">{c.email}</span>
              </td>
              <td>
                <select
                  aria-label={t('landingLegal.kind')}
                  value={c.kind}
                  onChange={(e) => void update(c.email, { kind: e.target.value as ContactLegalDto['kind'] })}
                  data-testid={`contact-kind-${c.email}`}
                >
                  <option value="consumer">{t('landingLegal.consumer')}</option>
                  <option value="commercial">{t('landingLegal.commercial')}</option>
                </select>
              </td>
              <td>
                <ConsentModeCell
                  email={c.email}
                  contact={consent.byEmail.get(c.email.toLowerCase())}
                  defaultMode={consent.defaultMode}
                  onChange={(mode) => void consent.setMode(c.email, mode)}
                />
              </td>
              <td>
                {c.offerPermissionAt
                  ? t('landingLegal.permissionSince', { time: exactTime(c.offerPermissionAt, i18n.language) })
                  : t('landingLegal.permissionNone')}
              </td>
              <td>
                <label className="check-row">
                  <input
                    type="checkbox"
                    checked={c.archivedAt !== null}
                    onChange={(e) => void update(c.email, { archived: e.target.checked })}
                    data-testid={`contact-archive-${c.email}`}
                  />
                  <span>{t('landingLegal.archive')}</span>
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error || consent.error ? (
        <p className="form-error" role="alert">
          {error ?? consent.error}
        </p>
      ) : null}
    </div>
  );
}
