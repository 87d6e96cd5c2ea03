import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROSPECT_LANGUAGES, type ProspectLanguage } from '../../src-shared/i18n/prospect/types';
import { call } from '../store/app';

/**
 * The language of a send: the agent's choice in this form, else the one last sent to all of these
 * recipients (the core remembers it per contact), else German.
 */
export function useProspectLanguage(emails: readonly string[]) {
  const [choice, setChoice] = useState<ProspectLanguage | null>(null);
  // the answer with the recipients it was for: one for others than the current ones counts for nothing
  const [remembered, setRemembered] = useState<{ key: string; language: ProspectLanguage | null } | null>(
    null,
  );
  const key = emails.join('\n');
  useEffect(() => {
    if (key === '') return;
    let stale = false;
    void call('contacts.prospectLanguage', { emails: key.split('\n') }).then((r) => {
      if (!stale) setRemembered({ key, language: r.ok ? r.value.language : null });
    });
    return () => {
      stale = true;
    };
  }, [key]);
  const known = remembered?.key === key ? remembered.language : null;
  return { language: choice ?? known ?? 'de', setChoice };
}

/** the select of the prospect language, with the hint of what it changes */
export function ProspectLanguageField({
  label,
  hint,
  value,
  onChange,
  testId,
  className = 'field',
}: {
  label: string;
  hint: string;
  value: ProspectLanguage;
  onChange: (l: ProspectLanguage) => void;
  testId: string;
  className?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className={className}>
      <span>{label}</span>
      <select
        value={value}
        onChange={(e) => onChange(e.target.value as ProspectLanguage)}
        data-testid={testId}
      >
        {PROSPECT_LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`prospectLanguage.${l}`)}
          </option>
        ))}
      </select>
      <span className="muted small">{hint}</span>
    </label>
  );
}
