import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport, PropertyDto } from '../../src-shared/ipc';
import { importNoteMessage } from '../../src-shared/import-notes';
import { tm, translateMessage } from '../lib/messages';
import { call, useApp } from '../store/app';
import { OfferDialog } from './OfferDialog';
import { ContactsPanel } from './landing/ContactsPanel';
import { DocumentsPanel } from './landing/DocumentsPanel';
import { PropertyLandingPanel } from './landing/PropertyLandingPanel';
import { readFileBase64 } from './properties/files';
import { ImportReportDialog } from './properties/ImportReportDialog';
import { LegalPanel } from './properties/LegalPanel';
import { PropertyForm } from './properties/PropertyForm';
import { PropertyList } from './properties/PropertyList';
import './properties.css';

export { readFileBase64 };

/** Objekte: the agent's properties, their files and the Widerrufsbelehrung every offer carries. */
export function PropertiesView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'objects' | 'legal' | 'contacts'>('objects');
  const [list, setList] = useState<PropertyDto[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importNotes, setImportNotes] = useState<string[]>([]);
  const [offerFor, setOfferFor] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [importing, setImporting] = useState(false);
  const [reportOpen, setReportOpen] = useState(false);
  const pushToast = useApp((s) => s.pushToast);

  const reload = useCallback(async () => {
    const r = await call('properties.list', {});
    if (r.ok) setList(r.value);
    else pushToast({ kind: 'error', title: translateMessage(r.error.message) });
  }, [pushToast]);
  useEffect(() => {
    let stale = false;
    void call('properties.list', {}).then((r) => {
      if (!stale && r.ok) setList(r.value);
    });
    return () => {
      stale = true;
    };
  }, []);

  const onImport = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const all = [...files];
    const zip = all.find((f) => f.name.toLowerCase().endsWith('.zip'));
    const xmlFile = all.find((f) => f.name.toLowerCase().endsWith('.xml'));
    if (!zip && !xmlFile) {
      pushToast({ kind: 'error', title: t('energyImport.hint') });
      return;
    }
    setImporting(true);
    const r = zip
      ? await call('properties.importOpenImmo', {
          zipBase64: await readFileBase64(zip),
          fileName: zip.name,
        })
      : await call('properties.importOpenImmo', {
          xml: await (xmlFile as File).text(),
          fileName: (xmlFile as File).name,
          files: await Promise.all(
            all
              .filter((f) => f !== xmlFile)
              .map(async (f) => ({ name: f.name, contentBase64: await readFileBase64(f) })),
          ),
        });
    setImporting(false);
    if (!r.ok) {
      pushToast({ kind: 'error', title: tm(t, r.error.message) });
      return;
    }
    setImportNotes(
      r.value.report.warnings.map((w) => `${w.path}: ${tm(t, importNoteMessage(w))}`),
    );
    setReport(r.value.report);
    setReportOpen(true);
    pushToast({ kind: 'info', title: t('properties.imported', { count: r.value.properties.length }) });
    await reload();
    const first = r.value.properties[0];
    if (first) {
      setCreating(false);
      setSelectedId(first.id);
    }
  };

  const selected = list.find((p) => p.id === selectedId) ?? null;

  return (
    <div className="page properties-page" data-testid="properties">
      <header className="page-header properties-header">
        <h1>{t('properties.title')}</h1>
        <div className="segmented" role="tablist">
          {(['objects', 'legal', 'contacts'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={tab === k ? 'seg active' : 'seg'}
              onClick={() => setTab(k)}
              data-testid={`properties-tab-${k}`}
            >
              {t(`properties.tabs.${k}`)}
            </button>
          ))}
        </div>
      </header>
      {tab === 'contacts' ? (
        <ContactsPanel />
      ) : tab === 'legal' ? (
        <>
          <LegalPanel />
          <DocumentsPanel />
        </>
      ) : (
        <div className="properties-split">
          <PropertyList
            properties={list}
            selectedId={selectedId}
            importNotes={importNotes}
            importing={importing}
            onShowReport={report ? () => setReportOpen(true) : undefined}
            onNew={() => {
              setCreating(true);
              setSelectedId(null);
            }}
            onSelect={(id) => {
              setCreating(false);
              setSelectedId(id);
            }}
            onImport={onImport}
          />
          <section className="properties-detail">
            {creating || selected ? (
              <PropertyForm
                key={selected?.id ?? 'new'}
                property={creating ? null : selected}
                onSaved={async (p) => {
                  await reload();
                  setCreating(false);
                  setSelectedId(p.id);
                }}
                onDeleted={async () => {
                  setSelectedId(null);
                  await reload();
                }}
                onChanged={(p) => setList((l) => l.map((x) => (x.id === p.id ? p : x)))}
                onOffer={(id) => setOfferFor(id)}
              />
            ) : null}
            {!creating && selected ? (
              <PropertyLandingPanel key={`landing-${selected.id}`} propertyId={selected.id} />
            ) : null}
            {creating || selected ? null : (
              <p className="muted detail-empty-text">{t('properties.selectHint')}</p>
            )}
          </section>
        </div>
      )}
      {report && reportOpen ? (
        <ImportReportDialog report={report} onClose={() => setReportOpen(false)} />
      ) : null}
      {offerFor ? (
        <OfferDialog properties={list} propertyId={offerFor} onClose={() => setOfferFor(null)} />
      ) : null}
    </div>
  );
}
