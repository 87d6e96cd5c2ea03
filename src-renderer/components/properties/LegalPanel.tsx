import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LegalDto } from '../../../src-shared/ipc';
import { call } from '../../store/app';
import { tm, translateMessage } from '../../lib/messages';
import { LongTextEditor } from '../LongTextEditor';

/** The Widerrufsbelehrung tab: the agent's profile that fills its placeholders, the text and its versions. */
export function LegalPanel() {
  const { t } = useTranslation();
  const [dto, setDto] = useState<LegalDto | null>(null);
  const [text, setText] = useState('');
  const [profile, setProfile] = useState<LegalDto['profile']>({
    company: '',
    address: '',
    phone: '',
    commissionNotice: '',
  });
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const apply = (d: LegalDto) => {
    setDto(d);
    setText(d.current.text);
    setProfile(d.profile);
  };
  useEffect(() => {
    void call('legal.get', {}).then((r) =>
      r.ok ? apply(r.value) : setError(translateMessage(r.error.message)),
    );
  }, []);

  const saveText = async () => {
    const r = await call('legal.saveText', { text });
    if (!r.ok) return setError(tm(t, r.error.message));
    apply(r.value);
    setError(null);
    setNote(t('properties.legal.saved'));
  };
  const saveProfile = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('legal.saveProfile', profile);
    if (!r.ok) return setError(tm(t, r.error.message));
    apply(r.value);
    setError(null);
    setNote(t('properties.form.saved'));
  };

  if (!dto) return <div className="page-body">{error ? <p className="form-error">{error}</p> : null}</div>;
  return (
    <div className="page-body legal-panel" data-testid="legal-panel">
      <p className="muted">{t('properties.legal.intro')}</p>
      <form className="card" onSubmit={(e) => void saveProfile(e)}>
        <h2>{t('properties.legal.profile')}</h2>
        <div className="grid-2">
          <label className="field">
            <span>{t('properties.legal.company')}</span>
            <input
              value={profile.company}
              onChange={(e) => setProfile({ ...profile, company: e.target.value })}
              data-testid="legal-company"
            />
          </label>
          <label className="field">
            <span>{t('properties.legal.phone')}</span>
            <input
              value={profile.phone}
              onChange={(e) => setProfile({ ...profile, phone: e.target.value })}
              data-testid="legal-phone"
            />
          </label>
          <label className="field span-2">
            <span>{t('properties.legal.address')}</span>
            <input
              value={profile.address}
              onChange={(e) => setProfile({ ...profile, address: e.target.value })}
              data-testid="legal-address"
            />
          </label>
          <label className="field span-2">
            <span>{t('properties.legal.commissionNotice')}</span>
            <input
              value={profile.commissionNotice}
              onChange={(e) => setProfile({ ...profile, commissionNotice: e.target.value })}
              data-testid="legal-commission"
            />
          </label>
        </div>
        {dto.missing.length > 0 ? (
          <p className="note" data-testid="legal-missing">
            {t('properties.legal.missing', { list: dto.missing.join(', ') })}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="btn btn-primary" data-testid="legal-save-profile">
            {t('properties.legal.saveProfile')}
          </button>
        </div>
      </form>
      <div className="card">
        <h2>{t('properties.legal.current', { label: dto.current.label })}</h2>
        <p className="muted small">
          {t('properties.legal.placeholders')}{' '}
          {['firma', 'anschrift', 'telefon', 'email', 'objekt'].map((p) => (
            <code key={p} className="placeholder">{`{{${p}}}`}</code>
          ))}
        </p>
        <LongTextEditor
          value={text}
          onChange={setText}
          fill="widerruf"
          label={t('properties.legal.current', { label: dto.current.label })}
          testId="legal-text"
        />
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void saveText()}
            disabled={text === dto.current.text}
          >
            {t('properties.legal.save')}
          </button>
          {note ? <span className="form-ok">{note}</span> : null}
        </div>
        <details>
          <summary>{t('properties.legal.versions')}</summary>
          <ul>
            {dto.versions.map((v) => (
              <li key={v.version}>{v.label}</li>
            ))}
          </ul>
        </details>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
