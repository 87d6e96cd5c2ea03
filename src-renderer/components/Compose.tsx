import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftInput, DraftInputIn } from '../../src-shared/drafts';
import { relativeTime } from '../lib/format';
import { useNow } from '../lib/use-now';
import { safeEditorHtml } from '../lib/safe-html';
import { call, useApp } from '../store/app';
import { useDrafts } from '../store/drafts';
import { Editor } from './Editor';
import { PaperclipIcon } from './Icons';
import { ProspectLanguageField, useProspectLanguage } from './ProspectLanguageField';
import { RecipientField, type Recipient } from './RecipientField';
import { tm } from '../lib/messages';

interface Attachment {
  filename: string;
  contentType: string;
  contentBase64: string;
  size: number;
  /** where the draft keeps it (drafts.putFile); absent while it is being stored or if that failed */
  sha256?: string;
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

const SAVE_DELAY_MS = 400;

function isEmptyDraft(d: DraftInputIn, bodyText: string): boolean {
  return (
    d.to.length + d.cc.length + d.bcc.length === 0 &&
    d.subject.trim() === '' &&
    bodyText.trim() === '' &&
    (d.attachments ?? []).length === 0
  );
}

export function ComposeView() {
  const { t, i18n } = useTranslation();
  const settings = useApp((s) => s.settings);
  const setView = useApp((s) => s.setView);
  const showSent = useApp((s) => s.showSent);
  const pushToast = useApp((s) => s.pushToast);
  const trackingEnabled = settings?.trackingEnabled ?? false;
  const drafts = useDrafts();

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
  // remounts the recipient fields: „Verwerfen“ clears their half-typed text and its error too
  const [formKey, setFormKey] = useState(0);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [bodyVersion, setBodyVersion] = useState(0);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const editorRef = useRef<HTMLDivElement>(null);
  // the editor's content as last seen: leaving the view flushes after React has detached the
  // editor's ref, and read through the ref that save stored an empty body (a pending save when
  // the agent left lost what was typed; the faster socket transport made it show in the e2e test)
  const lastBodyRef = useRef({ html: '', text: '' });
  const keepBody = (): void => {
    const el = editorRef.current;
    lastBodyRef.current = el ? { html: el.innerHTML, text: el.innerText } : { html: '', text: '' };
  };
  const fileRef = useRef<HTMLInputElement>(null);
  // the draft this form is; created on the first keystroke, kept until sent or discarded
  const draftIdRef = useRef<string | null>(drafts.currentId);
  const loadedRef = useRef(false);
  const dirtyRef = useRef(false);
  const skipSaveRef = useRef(false);
  const snapshotRef = useRef<() => DraftInput & { id: string }>(null);

  const track = trackingEnabled && (trackChoice ?? true);
  const recipientCount = to.length + cc.length + bcc.length;
  const several = recipientCount > 1;
  const { language, setChoice: setLanguage } = useProspectLanguage(
    [...to, ...cc, ...bcc].map((r) => r.email),
  );

  const snapshot = (): DraftInput & { id: string } => {
    if (!draftIdRef.current) {
      draftIdRef.current = crypto.randomUUID();
      drafts.setCurrent(draftIdRef.current);
    }
    return {
      id: draftIdRef.current,
      to,
      cc,
      bcc,
      subject,
      html: editorRef.current?.innerHTML ?? lastBodyRef.current.html,
      track: trackChoice,
      individually,
      prospectLanguage: language,
      attachments: attachments.flatMap(({ sha256, filename, contentType, size }) =>
        sha256 ? [{ sha256, filename, contentType, size }] : [],
      ),
    };
  };
  snapshotRef.current = snapshot;
  const bodyText = () => editorRef.current?.innerText ?? lastBodyRef.current.text;

  /** saves now if anything changed since the last save; true when there is a draft worth keeping */
  const flush = (): boolean => {
    const make = snapshotRef.current;
    if (!make) return false;
    const empty = isEmptyDraft(
      {
        to,
        cc,
        bcc,
        subject,
        html: '',
        track: null,
        individually: false,
        prospectLanguage: 'de',
        attachments: attachments.flatMap((a) => (a.sha256 ? [{ ...a, sha256: a.sha256 }] : [])),
      },
      bodyText(),
    );
    if (!dirtyRef.current) return !empty && draftIdRef.current !== null;
    dirtyRef.current = false;
    if (empty) {
      // everything deleted by hand: no empty draft is left behind
      const id = draftIdRef.current;
      draftIdRef.current = null;
      drafts.setCurrent(null);
      if (id) void drafts.remove(id);
      setSaveState('idle');
      return false;
    }
    setSaveState('saving');
    void drafts.save(make()).then((okSaved) => setSaveState(okSaved ? 'saved' : 'idle'));
    return !empty;
  };
  const flushRef = useRef(flush);
  flushRef.current = flush;

  // the editor is uncontrolled (contentEditable): its input events mark the draft as changed
  useEffect(() => {
    const el = editorRef.current;
    if (!el) return;
    const onInput = () => {
      keepBody();
      setBodyVersion((v) => v + 1);
    };
    el.addEventListener('input', onInput);
    return () => el.removeEventListener('input', onInput);
  }, [formKey]);

  // coming back to „Neue E-Mail“: the draft being written is filled in again
  useEffect(() => {
    void drafts.loadList();
    const id = draftIdRef.current;
    if (!id) {
      loadedRef.current = true;
      return;
    }
    void call('drafts.get', { id }).then((res) => {
      if (!res.ok) {
        draftIdRef.current = null;
        drafts.setCurrent(null);
      } else fill(res.value);
      loadedRef.current = true;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mount
  }, []);

  // saved as it is typed (a moment after the last keystroke)
  useEffect(() => {
    if (!loadedRef.current) return;
    if (skipSaveRef.current) {
      skipSaveRef.current = false;
      return;
    }
    dirtyRef.current = true;
    const timer = setTimeout(() => flushRef.current(), SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [to, cc, bcc, subject, trackChoice, individually, language, bodyVersion, attachments]);

  // leaving the view: what was typed stays as a listed draft, and the agent is told where
  useEffect(
    () => () => {
      if (flushRef.current()) {
        pushToast({
          kind: 'info',
          title: t('firstHour.drafts.keptToast'),
          body: t('firstHour.drafts.keptBody'),
        });
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on unmount only
    [],
  );

  function fill(d: DraftInput) {
    setTo(d.to);
    setCc(d.cc);
    setBcc(d.bcc);
    setShowCc(d.cc.length + d.bcc.length > 0);
    setSubject(d.subject);
    setTrackChoice(d.track);
    setIndividually(d.individually);
    setLanguage(d.prospectLanguage);
    setAttachments([]);
    if (editorRef.current) editorRef.current.replaceChildren(safeEditorHtml(d.html));
    keepBody();
    dirtyRef.current = false;
    setSaveState('saved');
    // the draft's files come back from the data folder
    const want = draftIdRef.current;
    void Promise.all(
      d.attachments.map(async (a) => {
        const r = await call('drafts.readFile', { sha256: a.sha256 });
        if (!r.ok) {
          setError(tm(t, r.error.message));
          return null;
        }
        return { ...a, contentBase64: r.value.contentBase64 };
      }),
    ).then((files) => {
      if (draftIdRef.current !== want) return;
      const back = files.filter((f): f is NonNullable<typeof f> => f !== null);
      if (back.length === 0) return;
      setAttachments(back);
      // filling in is not an edit: no save for it
      skipSaveRef.current = true;
    });
  }

  const clearForm = () => {
    setTo([]);
    setCc([]);
    setBcc([]);
    setShowCc(false);
    setSubject('');
    setAttachments([]);
    setTrackChoice(null);
    setIndividually(false);
    setLanguage(null);
    setError(null);
    setConfirmDiscard(false);
    setFormKey((k) => k + 1);
    setSaveState('idle');
    if (editorRef.current) editorRef.current.innerHTML = '';
    keepBody();
    dirtyRef.current = false;
  };

  /** the form becomes a new, empty e-mail; the old draft is deleted (`drop`) or stays listed */
  const startFresh = async (drop: boolean) => {
    const id = draftIdRef.current;
    draftIdRef.current = null;
    drafts.setCurrent(null);
    clearForm();
    if (drop && id) await drafts.remove(id);
  };

  const resume = async (id: string) => {
    flush();
    const res = await call('drafts.get', { id });
    if (!res.ok) return setError(tm(t, res.error.message));
    clearForm();
    draftIdRef.current = id;
    drafts.setCurrent(id);
    fill(res.value);
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
      prospectLanguage: language,
      recipientNames: Object.fromEntries(
        [...to, ...cc, ...bcc].flatMap((r) => (r.name ? [[r.email, r.name] as const] : [])),
      ),
    });
    setBusy(false);
    if (!res.ok) return setError(tm(t, res.error.message));
    // sent: the draft has done its job
    await startFresh(true);
    // the activity itself now shows the outbox state; no extra toast needed
    await showSent(res.value.activityId);
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
    if (fileRef.current) fileRef.current.value = '';
    // kept with the draft: the bytes go to the data folder first, the draft lists them by hash
    const stored = await Promise.all(
      read.map(async (a): Promise<Attachment> => {
        const r = await call('drafts.putFile', { contentBase64: a.contentBase64 });
        if (!r.ok) {
          setError(tm(t, r.error.message));
          return a;
        }
        return { ...a, sha256: r.value.sha256 };
      }),
    );
    setAttachments((a) => [...a, ...stored]);
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
          <RecipientField
            key={`to-${formKey}`}
            label={t('compose.to')}
            value={to}
            onChange={setTo}
            testId="compose-to"
            autoFocus
          />
          {showCc ? (
            <>
              <RecipientField
                key={`cc-${formKey}`}
                label={t('compose.cc')}
                value={cc}
                onChange={setCc}
                testId="compose-cc"
              />
              <RecipientField
                key={`bcc-${formKey}`}
                label={t('compose.bcc')}
                value={bcc}
                onChange={setBcc}
                testId="compose-bcc"
              />
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
          <ProspectLanguageField
            className="field compose-language"
            label={t('compose.language')}
            hint={t('compose.languageHint')}
            value={language}
            onChange={setLanguage}
            testId="compose-language"
          />
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
          {confirmDiscard ? (
            <span
              className="confirm-inline"
              role="alertdialog"
              aria-labelledby="discard-q"
              data-testid="discard-confirm"
            >
              <span id="discard-q">{t('firstHour.drafts.discardConfirm')}</span>
              <button
                type="button"
                className="btn btn-danger btn-small"
                onClick={() => void startFresh(true)}
                data-testid="discard-yes"
                autoFocus
              >
                {t('firstHour.drafts.discardYes')}
              </button>
              <button
                type="button"
                className="btn btn-quiet btn-small"
                onClick={() => setConfirmDiscard(false)}
              >
                {t('firstHour.drafts.discardNo')}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => setConfirmDiscard(true)}
              disabled={busy}
              data-testid="compose-discard"
            >
              {t('compose.discard')}
            </button>
          )}
          <span className="muted small draft-state" aria-live="polite" data-testid="draft-state">
            {saveState === 'saving'
              ? t('firstHour.drafts.saving')
              : saveState === 'saved'
                ? t('firstHour.drafts.saved')
                : ''}
          </span>
        </div>
      </form>
      <DraftList
        drafts={drafts.list.filter((d) => d.id !== drafts.currentId)}
        lang={i18n.language}
        onResume={(id) => void resume(id)}
        onDelete={(id) => void drafts.remove(id)}
      />
    </div>
  );
}

function DraftList({
  drafts,
  lang,
  onResume,
  onDelete,
}: {
  drafts: { id: string; subject: string; recipients: string[]; excerpt: string; updatedAt: string }[];
  lang: string;
  onResume: (id: string) => void;
  onDelete: (id: string) => void;
}) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  if (drafts.length === 0) return null;
  return (
    <section className="page-body drafts" aria-labelledby="drafts-title" data-testid="drafts">
      <h2 id="drafts-title">
        {t('firstHour.drafts.title')} <span className="muted">({drafts.length})</span>
      </h2>
      <ul className="draft-list">
        {drafts.map((d) => (
          <li key={d.id} className="draft-row" data-testid="draft-row">
            <div className="draft-text">
              <strong>{d.subject || t('firstHour.drafts.noSubject')}</strong>
              <span className="muted">
                {' · '}
                {d.recipients.length > 0 ? d.recipients.join(', ') : t('firstHour.drafts.noRecipient')}
                {' · '}
                {t('firstHour.drafts.updatedAt', { time: relativeTime(d.updatedAt, lang, now) })}
              </span>
              {d.excerpt ? <span className="muted small block">{d.excerpt}</span> : null}
            </div>
            <div className="button-row">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => onResume(d.id)}
                data-testid="draft-resume"
              >
                {t('firstHour.drafts.resume')}
              </button>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => onDelete(d.id)}>
                {t('firstHour.drafts.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
