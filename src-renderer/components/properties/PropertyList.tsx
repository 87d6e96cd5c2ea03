import { useTranslation } from 'react-i18next';
import type { PropertyDto } from '../../../src-shared/ipc';

/** The left column of Objekte: new, OpenImmo import (with its warnings) and the rows to pick from. */
export function PropertyList({
  properties,
  selectedId,
  importNotes,
  importing,
  onShowReport,
  onNew,
  onSelect,
  onImport,
}: {
  properties: PropertyDto[];
  selectedId: string | null;
  importNotes: string[];
  importing: boolean;
  onShowReport: (() => void) | undefined;
  onNew: () => void;
  onSelect: (id: string) => void;
  onImport: (files: FileList | null) => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <aside className="properties-list" aria-label={t('properties.title')}>
      <div className="properties-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          onClick={onNew}
          data-testid="property-new"
        >
          {t('properties.new')}
        </button>
        <input
          type="file"
          multiple
          id="openimmo-files"
          className="visually-hidden"
          accept=".zip,application/zip,application/x-zip-compressed,.xml,application/xml,text/xml,application/pdf,image/jpeg,image/png,image/webp"
          onChange={(e) => {
            void onImport(e.target.files);
            e.target.value = '';
          }}
          data-testid="openimmo-input"
        />
        <label
          htmlFor="openimmo-files"
          className="btn btn-quiet btn-small"
          title={t('energyImport.hint')}
          aria-busy={importing}
        >
          {importing ? t('energyImport.importing') : t('properties.import')}
        </label>
      </div>
      {onShowReport ? (
        <button
          type="button"
          className="link-button small import-report-link"
          onClick={onShowReport}
          data-testid="import-report-open"
        >
          {t('energyImport.report.open')}
        </button>
      ) : null}
      {importNotes.length > 0 ? (
        <details className="import-notes" data-testid="import-notes">
          <summary>{t('properties.importWarnings')}</summary>
          <ul>
            {importNotes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {properties.length === 0 ? <p className="muted empty">{t('properties.empty')}</p> : null}
      <ul className="property-rows">
        {properties.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className={p.id === selectedId ? 'property-row selected' : 'property-row'}
              onClick={() => onSelect(p.id)}
              data-testid="property-row"
            >
              <span className="property-row-title">{p.title}</span>
              <span className="muted small">
                {[p.street && `${p.street} ${p.houseNumber}`.trim(), p.city].filter(Boolean).join(', ')}
              </span>
              <span className="property-row-meta small">
                <span className="tag">
                  {p.kind === 'project' ? t('properties.project') : t('properties.single')}
                </span>
                {p.units.length > 0 ? <span>{t('properties.units', { count: p.units.length })}</span> : null}
                <span>{t('properties.files', { count: p.files.length })}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
