import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentMode, ContactConsent } from '../../../src-shared/consent';
import type { ConsentContactsDto } from '../../../src-shared/ipc';
import { exactTime } from '../../lib/format';
import { tm } from '../../lib/messages';
import { call, useApp } from '../../store/app';
import './consent.css';

/**
 * Issue 17: the contacts' tracking modes as the core synced them from the collector, reloaded
 * whenever the core says settings changed (a consent given on the page arrives that way too).
 */
export function useConsentContacts() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const [data, setData] = useState<ConsentContactsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('consent.contacts', {}).then((r) =>
      r.ok ? setData(r.value) : setError(tm(t, r.error.message)),
    );
  }, [settings, t]);
  const setMode = useCallback(
    async (email: string, mode: ConsentMode | null) => {
      const r = await call('consent.setMode', { email, mode });
      if (!r.ok) return setError(tm(t, r.error.message));
      setError(null);
      setData((d) =>
        d ? { ...d, contacts: [...d.contacts.filter((c) => c.email !== r.value.email), r.value] } : d,
      );
    },
    [t],
  );
  const byEmail = new Map((data?.contacts ?? []).map((c) => [c.email, c]));
  return { defaultMode: data?.defaultMode ?? 'always', byEmail, setMode, error };
}

/** one contact's mode (a select with the account default first) and what the prospect did */
export function ConsentModeCell(props: {
  email: string;
  contact: ContactConsent | undefined;
  defaultMode: ConsentMode;
  onChange: (mode: ConsentMode | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const { contact, defaultMode } = props;
  const effective = contact?.mode ?? defaultMode;
  const state =
    contact?.state === 'given' || contact?.state === 'withdrawn'
      ? t(`consent.states.${contact.state}`, {
          time: exactTime(contact.stateAt ?? contact.updatedAt, i18n.language),
        })
      : effective === 'after_consent'
        ? t('consent.states.pending')
        : '';
  return (
    <div className="consent-cell">
      <select
        aria-label={t('consent.column')}
        value={contact?.mode ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? null : (e.target.value as ConsentMode))}
        data-testid={`contact-consent-${props.email}`}
      >
        <option value="">{t('consent.accountDefault', { mode: t(`consent.modes.${defaultMode}`) })}</option>
        <option value="always">{t('consent.modes.always')}</option>
        <option value="after_consent">{t('consent.modes.after_consent')}</option>
        <option value="never">{t('consent.modes.never')}</option>
      </select>
      {state ? (
        <span
          className={`consent-state consent-${contact?.state === 'none' || !contact ? 'pending' : contact.state}`}
          data-testid={`contact-consent-state-${props.email}`}
        >
          {state}
        </span>
      ) : null}
    </div>
  );
}
