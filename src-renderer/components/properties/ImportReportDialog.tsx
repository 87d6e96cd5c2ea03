import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../src-shared/ipc';
import { importNoteMessage } from '../../../src-shared/import-notes';
import { tm } from '../../lib/messages';
import { sizeLabel } from './files';

/**
 * The report after every OpenImmo import: what was taken over per property, every hint (missing
 * or refused files, incomplete Energieausweis …) and every element of the document Blitz did
 * not take over, so nothing is dropped without the agent seeing it.
 */
export function ImportReportDialog({ report, onClose }: { report: ImportReport; onClose: () => void }) {
  const { t } = useTranslation();
  const s = report.source;
  return (
    <div
      className="modal-backdrop"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="modal import-report"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-report-title"
        data-testid="import-report"
      >
        <header className="modal-head">
          <h2 id="import-report-title">{t('energyImport.report.title')}</h2>
          <button
            type="button"
            className="toast-close"
            aria-label={t('energyImport.report.close')}
            onClick={onClose}
          >
            ×
          </button>
        </header>
        <div className="import-report-body">
          <p className="muted small">
            {t(s.kind === 'zip' ? 'energyImport.report.sourceZip' : 'energyImport.report.sourceXml', {
              name: s.name,
              size: sizeLabel(s.bytes),
              count: s.entries,
              ms: report.parseMs,
            })}
          </p>
          <section aria-labelledby="ir-imported">
            <h3 id="ir-imported">{t('energyImport.report.imported', { count: report.imported.length })}</h3>
            <ul className="import-list" data-testid="import-report-imported">
              {report.imported.map((p) => (
                <li key={p.propertyId}>
                  <strong>{p.title}</strong>{' '}
                  <span className="tag">
                    {p.updated ? t('energyImport.report.updated') : t('energyImport.report.new')}
                  </span>
                  <div className="small">
                    {[
                      p.externalId ? t('energyImport.report.externalId', { id: p.externalId }) : null,
                      p.kind === 'project' ? t('energyImport.report.units', { count: p.units.length }) : null,
                      t('energyImport.report.files', { count: p.files.length }),
                      p.links > 0 ? t('energyImport.report.links', { count: p.links }) : null,
                      t(`energyImport.report.energy.${p.energy}`),
                      p.commissionNotice ? t('energyImport.report.commission') : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                  {p.units.length > 0 ? (
                    <div className="small muted">
                      {p.units.map((u) => (u.title ? `${u.number}: ${u.title}` : u.number)).join(' · ')}
                    </div>
                  ) : null}
                  {p.files.length > 0 ? (
                    <div className="small muted">
                      {p.files
                        .map((f) => `${f.name} (${t(`energyImport.report.roles.${f.role}`)})`)
                        .join(' · ')}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          {report.warnings.length > 0 ? (
            <section aria-labelledby="ir-warnings" className="note note-warn">
              <h3 id="ir-warnings">{t('energyImport.report.warnings', { count: report.warnings.length })}</h3>
              <ul data-testid="import-report-warnings">
                {report.warnings.map((w, i) => (
                  <li key={i}>
                    {tm(t, importNoteMessage(w))}{' '}
                    <code className="small">{w.path}</code>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {report.unusedFiles.length > 0 ? (
            <section aria-labelledby="ir-unused">
              <h3 id="ir-unused">
                {t('energyImport.report.unusedFiles', { count: report.unusedFiles.length })}
              </h3>
              <ul className="small" data-testid="import-report-unused">
                {report.unusedFiles.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="ir-not">
            <h3 id="ir-not">{t('energyImport.report.notImported', { count: report.notImported.length })}</h3>
            {report.notImported.length === 0 ? (
              <p className="small">{t('energyImport.report.everything')}</p>
            ) : (
              <>
                <p className="muted small">{t('energyImport.report.notImportedHint')}</p>
                <table className="import-not-table" data-testid="import-report-not-imported">
                  <thead>
                    <tr>
                      <th>{t('energyImport.report.element')}</th>
                      <th>{t('energyImport.report.count')}</th>
                      <th>{t('energyImport.report.example')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.notImported.map((n) => (
                      <tr key={n.path}>
                        <td>
                          <code>{n.path.replace(/^openimmo\/anbieter\/immobilie\//, '…/immobilie/')}</code>
                        </td>
                        <td>{n.count}</td>
                        <td>{n.example}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        </div>
        <footer className="button-row modal-foot">
          <button
            type="button"
            className="btn btn-primary"
            onClick={onClose}
            data-testid="import-report-close"
          >
            {t('energyImport.report.close')}
          </button>
        </footer>
      </div>
    </div>
  );
}
