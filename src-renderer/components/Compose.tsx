import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useApp } from '../store/app';
import { Editor } from './Editor';
import { PaperclipIcon } from './Icons';
import { RecipientField, type Recipient } from './RecipientField';
import { tm } from '../lib/messages';

interface Attachment {
  filename: string;
  contentType: string;
  contentBase64: string;
  size: number;
}

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

export function ComposeView() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const setView = useApp((s) => s.setView);
  const select = useApp((s) => s.select);
  const trackingEnabled = settings?.trackingEnabled ?? false;

  const [to, setTo] = useState<Recipient[]>([]);
  const [cc, setCc] = useState<Recipient[]>([]);
  const [bcc, setBcc] = useState<Recipient[]>([]);
  const [showCc, setShowCc] = useState(false);
  const [subject, setSubject] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  // null = follow the account switch; the agent's explicit choice otherwise
  const [trackChoice, setTrackChoice] = useState<boolean | null>(null);
  const [individually, setIndividually] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const track = trackingEnabled && (trackChoice ?? true);
  const recipientCount = to.length + cc.length + bcc.length;
  const several = recipientCount > 1;

  const reset = () => {
    setTo([]);
    setCc([]);
    setBcc([]);
    setSubject('');
    setAttachments([]);
    setTrackChoice(null);
    setIndividually(false);
    if (editorRef.current) editorRef.current.innerHTML = '';
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (recipientCount === 0) return setError(t('compose.noRecipients'));
    setBusy(true);
    setError(null);
    const editor = editorRef.current;
    const html = editor?.innerHTML ?? '';
    const text = editor?.innerText ?? '';
    const res = await call('compose.send', {
      to: to.map((r) => r.email),
      cc: cc.map((r) => r.email),
      bcc: bcc.map((r) => r.email),
      subject,
      html: `<!doctype html><html><body>${html}</body></html>`,
      text,
      attachments: attachments.map(({ filename, contentType, contentBase64 }) => ({
        filename,
        contentType,
        contentBase64,
      })),
      track,
      // one recipient is always personal: a tracker of its own, so the Blitz can name the person
      sendIndividually: track && (!several || individually),
      recipientNames: Object.fromEntries(
        [...to, ...cc, ...bcc].flatMap((r) => (r.name ? [[r.email, r.name] as const] : [])),
      ),
    });
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    reset();
    // the activity itself now shows the outbox state; no extra toast needed
    select(res.value.activityId);
  };

  const onFiles = async (files: FileList | null) => {
    if (!files) return;
    const read = await Promise.all(
      [...files].map(async (f) => ({
        filename: f.name,
        contentType: f.type || 'application/octet-stream',
        contentBase64: await readAsBase64(f),
        size: f.size,
      })),
    );
    setAttachments((a) => [...a, ...read]);
    if (fileRef.current) fileRef.current.value = '';
  };

  if (settings && settings.mailAccount === null) {
    return (
      <div className="page">
        <header className="page-header">
          <h1>{t('compose.title')}</h1>
        </header>
        <div className="page-body narrow">
          <p className="note">{t('compose.noAccount')}</p>
          <button type="button" className="btn btn-primary" onClick={() => setView('settings')}>
            {t('compose.toSettings')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('compose.title')}</h1>
      </header>
      <form className="page-body compose" onSubmit={(e) => void submit(e)} data-testid="compose">
        <div className="compose-fields">
          <RecipientField label={t('compose.to')} value={to} onChange={setTo} testId="compose-to" autoFocus />
          {showCc ? (
            <>
              <RecipientField label={t('compose.cc')} value={cc} onChange={setCc} testId="compose-cc" />
              <RecipientField label={t('compose.bcc')} value={bcc} onChange={setBcc} testId="compose-bcc" />
            </>
          ) : (
            <button type="button" className="link-button cc-toggle" onClick={() => setShowCc(true)}>
              {t('compose.showCcBcc')}
            </button>
          )}
          <label className="subject-field">
            <span>{t('compose.subject')}</span>
            <input
              type="text"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              maxLength={1000}
              data-testid="compose-subject"
            />
          </label>
        </div>

        <Editor editorRef={editorRef} label={t('compose.body')} />

        <div className="attachments">
          <input
            ref={fileRef}
            type="file"
            multiple
            id="compose-files"
            className="visually-hidden"
            onChange={(e) => void onFiles(e.target.files)}
            data-testid="compose-files"
          />
          <label htmlFor="compose-files" className="btn btn-quiet btn-small">
            <PaperclipIcon /> {t('compose.addAttachment')}
          </label>
          {attachments.map((a, i) => (
            <span key={`${a.filename}-${i}`} className="chip-recipient">
              {a.filename} <span className="muted">({formatSize(a.size)})</span>
              <button
                type="button"
                aria-label={t('compose.removeAttachment', { name: a.filename })}
                onClick={() => setAttachments((list) => list.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </span>
          ))}
        </div>

        <div className="compose-options">
          {trackingEnabled ? (
            <label className="check" data-testid="track-option">
              <input
                type="checkbox"
                checked={track}
                onChange={(e) => setTrackChoice(e.target.checked)}
                data-testid="compose-track"
              />
              <span>
                {t('compose.track')}
                <span className="muted small block">{t('compose.trackHint')}</span>
              </span>
            </label>
          ) : null}
          {track && several ? (
            <div className="hint" data-testid="several-hint">
              <p>{t('compose.severalHint')}</p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={individually}
                  onChange={(e) => setIndividually(e.target.checked)}
                  data-testid="compose-individually"
                />
                <span>
                  {t('compose.individually')}
                  <span className="muted small block">{t('compose.individuallyHint')}</span>
                </span>
              </label>
            </div>
          ) : null}
        </div>

        {error ? (
          <p className="form-error" role="alert" data-testid="compose-error">
            {error}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="compose-send">
            {busy ? t('compose.sending') : t('compose.send')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={reset} disabled={busy}>
            {t('compose.discard')}
          </button>
        </div>
      </form>
    </div>
  );
}
