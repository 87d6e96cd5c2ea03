import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EvidenceExportDto, EvidenceFileDownload } from '../../src-shared/evidence-export';
import type { ActivityDto } from '../../src-shared/ipc';
import type { AppError } from '../../src-shared/result';
import { ErrorText } from '../lib/messages';
import { call } from '../store/app';

/** the browser host has no folder to write to: each file becomes a download the browser saves */
function download(folderName: string, f: EvidenceFileDownload): void {
  const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: f.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${folderName} ${f.name}`;
  document.body.append(a);
  a.click();
  a.remove();
  // the download has taken its copy once click() returned; the URL only keeps memory alive
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * issue 16: „Nachweis exportieren“ per recipient (per prospect in the offer panel): the
 * Nachweisakte (nachweis.json + nachweis.pdf) from the tracking server, checked before it is saved.
 */
export function EvidenceExport({ activity: a }: { activity: ActivityDto }) {
  const { t } = useTranslation();
  if (!a.tracked || !a.sentAt || a.recipients.length === 0) return null;
  return (
    <div className="evidence-export" data-testid="evidence-export">
      <span className="muted small">{t('evidenceExport.label')}</span>
      <ul className="evidence-export-list">
        {a.recipients.map((r) => (
          <EvidenceExportRow
            key={`${r.kind}:${r.email}`}
            activityId={a.id}
            email={r.email}
            name={r.name}
            only={a.recipients.length === 1}
          />
        ))}
      </ul>
    </div>
  );
}

function EvidenceExportRow(p: { activityId: string; email: string; name: string | null; only: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<EvidenceExportDto | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const who = p.name ?? p.email;

  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await call('evidence.export', { activityId: p.activityId, email: p.email });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    if (r.value.saved.kind === 'download') {
      const { folderName, files } = r.value.saved;
      for (const f of files) download(folderName, f);
    }
    setDone(r.value);
  };

  return (
    <li className="evidence-export-row" data-testid="evidence-export-row" data-email={p.email}>
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() => void run()}
        data-testid="evidence-export-button"
        title={p.email}
      >
        {p.only ? t('evidenceExport.button') : t('evidenceExport.buttonFor', { who })}
      </button>
      {busy ? (
        <span className="muted small" role="status" data-testid="evidence-export-progress">
          {t('evidenceExport.working')}
        </span>
      ) : null}
      {done && done.saved.kind !== 'cancelled' ? (
        <span className="small" role="status" data-testid="evidence-export-done">
          <span className="chip chip-ok">{t('evidenceExport.valid')}</span>{' '}
          {done.saved.kind === 'folder'
            ? t('evidenceExport.savedFolder', { count: done.records, path: done.saved.path })
            : t('evidenceExport.savedDownload', { count: done.records })}
        </span>
      ) : null}
      {error ? (
        <ErrorText
          className="form-error"
          message={error.message}
          detail={error.detail}
          testId="evidence-export-error"
        />
      ) : null}
    </li>
  );
}
