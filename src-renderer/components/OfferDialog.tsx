import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { prospectTexts } from '../../src-shared/i18n/prospect';
import type { OfferPreviewDto, PropertyDto } from '../../src-shared/ipc';
import { call, useApp } from '../store/app';
import { MailHtmlPreview } from './MailHtmlPreview';
import { ProspectLanguageField, useProspectLanguage } from './ProspectLanguageField';
import { RecipientField, type Recipient } from './RecipientField';
import { tm, translateMessage } from '../lib/messages';

/**
 * „Angebot senden“: a property, one or more prospects (each gets their own e-mail and landing
 * page), the agent's words, the legal form option, and a preview of exactly what the core builds.
 */
export function OfferDialog({
  properties,
  propertyId,
  onClose,
}: {
  properties: PropertyDto[];
  propertyId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [pid, setPid] = useState(propertyId);
  const [to, setTo] = useState<Recipient[]>([]);
  const [subject, setSubject] = useState('');
  const [intro, setIntro] = useState('');
  const [legalForm, setLegalForm] = useState(true);
  const [preview, setPreview] = useState<OfferPreviewDto | null>(null);
  const [previewMode, setPreviewMode] = useState<'html' | 'text'>('html');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const select = useApp((s) => s.select);
  const pushToast = useApp((s) => s.pushToast);
  const dialogRef = useRef<HTMLDivElement>(null);

  const recipients = to.map((r) => ({ email: r.email, name: r.name }));
  const { language, setChoice: setLanguage } = useProspectLanguage(to.map((r) => r.email));
  const args = {
    propertyId: pid,
    recipients: recipients.length > 0 ? recipients : [{ email: 'interessent@example.org', name: null }],
    ...(subject.trim() ? { subject } : {}),
    intro,
    legalForm,
    prospectLanguage: language,
  };
  const key = JSON.stringify(args);
  // what the mail says when the agent writes nothing, in the mail's language
  const introDefault = prospectTexts(language).offer.intro(
    properties.find((p) => p.id === pid)?.title ?? '…',
  );

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      void call('offers.preview', JSON.parse(key) as typeof args).then((r) => {
        if (stale) return;
        if (r.ok) setPreview(r.value);
        else setError(translateMessage(r.error.message));
      });
    }, 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key]);

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('select, input')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const send = async () => {
    if (to.length === 0) return;
    setBusy(true);
    setError(null);
    const r = await call('offers.send', { ...args, recipients });
    setBusy(false);
    if (!r.ok) {
      setError(tm(t, r.error.message));
      return;
    }
    pushToast({ kind: 'info', title: t('offer.sent') });
    onClose();
    select(r.value.activityId);
  };

  const blockers = preview?.blockers ?? [];
  return (
    <div
      className="modal-backdrop"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="modal offer-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="offer-title"
        ref={dialogRef}
        data-testid="offer-dialog"
      >
        <header className="modal-head">
          <h2 id="offer-title">{t('offer.title')}</h2>
          <button type="button" className="toast-close" aria-label={t('offer.cancel')} onClick={onClose}>
            ×
          </button>
        </header>
        <div className="offer-columns">
          <div className="stack">
            <label className="field">
              <span>{t('offer.property')}</span>
              <select value={pid} onChange={(e) => setPid(e.target.value)} data-testid="offer-property">
                {properties.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </label>
            <div>
              <RecipientField label={t('offer.recipients')} value={to} onChange={setTo} testId="offer-to" />
              <p className="muted small">{t('offer.recipientsHint')}</p>
            </div>
            <label className="field">
              <span>{t('offer.subject')}</span>
              <input
                value={subject}
                placeholder={preview?.subject ?? ''}
                onChange={(e) => setSubject(e.target.value)}
                maxLength={1000}
                data-testid="offer-subject"
              />
            </label>
            <label className="field">
              <span>{t('offer.intro')}</span>
              <textarea
                value={intro}
                rows={4}
                placeholder={introDefault}
                onChange={(e) => setIntro(e.target.value)}
                maxLength={5000}
                data-testid="offer-intro"
              />
            </label>
            <ProspectLanguageField
              label={t('offer.language')}
              hint={t('offer.languageHint')}
              value={language}
              onChange={setLanguage}
              testId="offer-language"
            />
            <label className="check">
              <input
                type="checkbox"
                checked={legalForm}
                onChange={(e) => setLegalForm(e.target.checked)}
                data-testid="offer-legal-form"
              />
              <span>{t('offer.legalForm')}</span>
            </label>
            {blockers.length > 0 ? (
              <div className="note note-warn" role="status" data-testid="offer-blockers">
                <p>{t('offer.blocked')}</p>
                <ul>
                  {blockers.map((b) => (
                    <li key={b.code}>{tm(t, b.message)}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {error ? (
              <p className="form-error" role="alert" data-testid="offer-error">
                {error}
              </p>
            ) : null}
          </div>
          <section className="offer-preview" aria-label={t('offer.preview')} data-testid="offer-preview">
            <h3>{t('offer.preview')}</h3>
            {preview ? (
              <>
                <p className="preview-subject">{subject.trim() || preview.subject}</p>
                <p className="muted small">
                  {t('offer.policy', { label: preview.policyLabel })} ·{' '}
                  {t('offer.attachment', { name: preview.attachmentName })}
                </p>
                <div className="segmented preview-mode" role="tablist">
                  {(['html', 'text'] as const).map((m) => (
                    <button
                      key={m}
                      type="button"
                      role="tab"
                      aria-selected={previewMode === m}
                      className={previewMode === m ? 'seg active' : 'seg'}
                      onClick={() => setPreviewMode(m)}
                      data-testid={`offer-preview-${m}-tab`}
                    >
                      {t(`energyImport.preview.${m}`)}
                    </button>
                  ))}
                </div>
                {previewMode === 'html' ? (
                  <div className="preview-text preview-html">
                    <MailHtmlPreview html={preview.html} />
                  </div>
                ) : (
                  <pre className="preview-text">{preview.text}</pre>
                )}
              </>
            ) : null}
          </section>
        </div>
        <footer className="button-row modal-foot">
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || to.length === 0 || blockers.length > 0}
            onClick={() => void send()}
            data-testid="offer-send"
          >
            {busy ? t('offer.sending') : t('offer.send')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('offer.cancel')}
          </button>
        </footer>
      </div>
    </div>
  );
}
