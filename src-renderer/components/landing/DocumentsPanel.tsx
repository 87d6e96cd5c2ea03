import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountDocumentsDto } from '../../../src-shared/ipc';
import { call } from '../../store/app';
import './landing.css';

type Kind = 'agb' | 'datenschutz';

/**
 * AGB and Datenschutzerklärung of the account: once stored, every offer carries the current
 * version and its landing page asks the prospect to confirm it. Each save is a new version.
 */
export function DocumentsPanel() {
  const { t } = useTranslation();
  const [dto, setDto] = useState<AccountDocumentsDto | null>(null);
  const [texts, setTexts] = useState<Record<Kind, string>>({ agb: '', datenschutz: '' });
  const [note, setNote] = useState<string | null>(null);
  const apply = (d: AccountDocumentsDto) => {
    setDto(d);
    setTexts({ agb: d.agb?.text ?? '', datenschutz: d.datenschutz?.text ?? '' });
  };
  useEffect(() => {
    void call('landing.documents', {}).then((r) => r.ok && apply(r.value));
  }, []);
  if (!dto) return null;
  return (
    <div className="page-body documents-panel" data-testid="documents-panel">
      {(['agb', 'datenschutz'] as const).map((k) => (
        <div className="card" key={k}>
          <h2>
            {t(`landingLegal.documents.${k}`)}{' '}
            <span className="muted small">
              {dto[k]
                ? t('landingLegal.documents.version', { label: dto[k]?.label })
                : t('landingLegal.documents.none')}
            </span>
          </h2>
          <p className="muted small">{t('landingLegal.documents.hint')}</p>
          <textarea
            className="legal-text"
            rows={8}
            value={texts[k]}
            onChange={(e) => setTexts({ ...texts, [k]: e.target.value })}
            data-testid={`document-${k}`}
          />
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={texts[k].trim() === (dto[k]?.text ?? '')}
              onClick={() =>
                void call('landing.saveDocument', { kind: k, text: texts[k] }).then((r) => {
                  if (r.ok) {
                    apply(r.value);
                    setNote(t('landingLegal.documents.saved'));
                  }
                })
              }
              data-testid={`document-save-${k}`}
            >
              {t('landingLegal.documents.save')}
            </button>
            {note ? <span className="form-ok">{note}</span> : null}
          </div>
        </div>
      ))}
    </div>
  );
}
