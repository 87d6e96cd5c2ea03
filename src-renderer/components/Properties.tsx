import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfferUnit } from '../../src-shared/api';
import type { IpcArgs, LegalDto, PropertyDto, PropertyFileRole } from '../../src-shared/ipc';
import { call, useApp } from '../store/app';
import { OfferDialog } from './OfferDialog';
import './properties.css';

const ROLES: PropertyFileRole[] = ['image', 'floor_plan', 'document', 'expose'];
const ACCEPT: Record<PropertyFileRole, string> = {
  image: 'image/jpeg,image/png,image/webp',
  floor_plan: 'application/pdf,image/jpeg,image/png,image/webp',
  document: 'application/pdf',
  expose: 'application/pdf',
};

export function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function fileType(f: File): 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' {
  const n = f.name.toLowerCase();
  if (f.type === 'application/pdf' || n.endsWith('.pdf')) return 'application/pdf';
  if (f.type === 'image/png' || n.endsWith('.png')) return 'image/png';
  if (f.type === 'image/webp' || n.endsWith('.webp')) return 'image/webp';
  return 'image/jpeg';
}

const euro = (n: number | null, lang: string) =>
  n === null
    ? ''
    : new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      }).format(n);

const sizeLabel = (b: number) =>
  b < 1024 * 1024 ? `${Math.max(1, Math.round(b / 1024))} KB` : `${(b / 1024 / 1024).toFixed(1)} MB`;

/** Objekte: the agent's properties, their files and the Widerrufsbelehrung every offer carries. */
export function PropertiesView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'objects' | 'legal'>('objects');
  const [list, setList] = useState<PropertyDto[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [importNotes, setImportNotes] = useState<string[]>([]);
  const [offerFor, setOfferFor] = useState<string | null>(null);
  const pushToast = useApp((s) => s.pushToast);

  const reload = useCallback(async () => {
    const r = await call('properties.list', {});
    if (r.ok) setList(r.value);
    else pushToast({ kind: 'error', title: r.error.message });
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
    const xmlFile = all.find((f) => f.name.toLowerCase().endsWith('.xml'));
    if (!xmlFile) {
      pushToast({ kind: 'error', title: t('properties.importHint') });
      return;
    }
    const xml = await xmlFile.text();
    const others = await Promise.all(
      all
        .filter((f) => f !== xmlFile)
        .map(async (f) => ({ name: f.name, contentBase64: await readFileBase64(f) })),
    );
    const r = await call('properties.importOpenImmo', { xml, files: others });
    if (!r.ok) {
      pushToast({ kind: 'error', title: r.error.message });
      return;
    }
    setImportNotes(r.value.warnings);
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
          {(['objects', 'legal'] as const).map((k) => (
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
      {tab === 'legal' ? (
        <LegalPanel />
      ) : (
        <div className="properties-split">
          <aside className="properties-list" aria-label={t('properties.title')}>
            <div className="properties-actions">
              <button
                type="button"
                className="btn btn-primary btn-small"
                onClick={() => {
                  setCreating(true);
                  setSelectedId(null);
                }}
                data-testid="property-new"
              >
                {t('properties.new')}
              </button>
              <input
                type="file"
                multiple
                id="openimmo-files"
                className="visually-hidden"
                accept=".xml,application/xml,text/xml,application/pdf,image/jpeg,image/png,image/webp"
                onChange={(e) => {
                  void onImport(e.target.files);
                  e.target.value = '';
                }}
                data-testid="openimmo-input"
              />
              <label
                htmlFor="openimmo-files"
                className="btn btn-quiet btn-small"
                title={t('properties.importHint')}
              >
                {t('properties.import')}
              </label>
            </div>
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
            {list.length === 0 ? <p className="muted empty">{t('properties.empty')}</p> : null}
            <ul className="property-rows">
              {list.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    className={p.id === selectedId ? 'property-row selected' : 'property-row'}
                    onClick={() => {
                      setCreating(false);
                      setSelectedId(p.id);
                    }}
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
                      {p.units.length > 0 ? (
                        <span>{t('properties.units', { count: p.units.length })}</span>
                      ) : null}
                      <span>{t('properties.files', { count: p.files.length })}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </aside>
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
            ) : (
              <p className="muted detail-empty-text">{t('properties.selectHint')}</p>
            )}
          </section>
        </div>
      )}
      {offerFor ? (
        <OfferDialog properties={list} propertyId={offerFor} onClose={() => setOfferFor(null)} />
      ) : null}
    </div>
  );
}

type Form = {
  kind: 'single' | 'project';
  title: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  price: string;
  area: string;
  rooms: string;
  description: string;
  commissionNotice: string;
  links: { label: string; url: string }[];
  units: {
    id: string;
    number: string;
    floor: string;
    area: string;
    rooms: string;
    price: string;
    status: OfferUnit['status'];
  }[];
};

const grouped = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
/** German number text („289.000“, „64,2“) that textNum reads back */
const numText = (n: number | null | undefined) => (n === null || n === undefined ? '' : grouped.format(n));
const textNum = (s: string): number | null => {
  const v = s.trim().replace(/\./g, '').replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

function toForm(p: PropertyDto | null): Form {
  return {
    kind: p?.kind ?? 'single',
    title: p?.title ?? '',
    street: p?.street ?? '',
    houseNumber: p?.houseNumber ?? '',
    postalCode: p?.postalCode ?? '',
    city: p?.city ?? '',
    price: numText(p?.price),
    area: numText(p?.area),
    rooms: numText(p?.rooms),
    description: p?.description ?? '',
    commissionNotice: p?.commissionNotice ?? '',
    links: p?.links.map((l) => ({ ...l })) ?? [],
    units:
      p?.units.map((u) => ({
        id: u.id,
        number: u.number,
        floor: u.floor ?? '',
        area: numText(u.area),
        rooms: numText(u.rooms),
        price: numText(u.price),
        status: u.status,
      })) ?? [],
  };
}

function PropertyForm({
  property,
  onSaved,
  onDeleted,
  onChanged,
  onOffer,
}: {
  property: PropertyDto | null;
  onSaved: (p: PropertyDto) => Promise<void>;
  onDeleted: () => Promise<void>;
  onChanged: (p: PropertyDto) => void;
  onOffer: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<Form>(() => toForm(property));
  const [current, setCurrent] = useState<PropertyDto | null>(property);
  const [error, setError] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const input: IpcArgs<'properties.save'> = {
      ...(current ? { id: current.id, externalId: current.externalId } : {}),
      kind: form.units.length > 0 ? 'project' : form.kind,
      title: form.title,
      street: form.street,
      houseNumber: form.houseNumber,
      postalCode: form.postalCode,
      city: form.city,
      price: textNum(form.price),
      area: textNum(form.area),
      rooms: textNum(form.rooms),
      description: form.description,
      commissionNotice: form.commissionNotice.trim() === '' ? null : form.commissionNotice,
      links: form.links.filter((l) => l.url.trim() !== ''),
      units: form.units.map((u, i) => {
        const area = textNum(u.area);
        const rooms = textNum(u.rooms);
        const price = textNum(u.price);
        return {
          id: u.id || `u${i + 1}`,
          number: u.number || `WE ${i + 1}`,
          status: u.status,
          ...(u.floor ? { floor: u.floor } : {}),
          ...(area ? { area } : {}),
          ...(rooms ? { rooms } : {}),
          ...(price !== null ? { price } : {}),
        };
      }),
    };
    const r = await call('properties.save', input);
    setBusy(false);
    if (!r.ok) {
      setError(r.error.detail ? `${r.error.message} (${r.error.detail})` : r.error.message);
      return;
    }
    setCurrent(r.value);
    setSavedNote(true);
    setTimeout(() => setSavedNote(false), 2500);
    await onSaved(r.value);
  };

  const upload = async (role: PropertyFileRole, files: FileList | null) => {
    if (!current || !files) return;
    for (const f of [...files]) {
      const r = await call('properties.addFile', {
        propertyId: current.id,
        role,
        name: f.name,
        contentType: fileType(f),
        contentBase64: await readFileBase64(f),
      });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setCurrent(r.value);
      onChanged(r.value);
    }
  };

  const removeFile = async (fileId: string) => {
    if (!current) return;
    const r = await call('properties.removeFile', { propertyId: current.id, fileId });
    if (r.ok) {
      setCurrent(r.value);
      onChanged(r.value);
    } else setError(r.error.message);
  };

  const remove = async () => {
    if (!current || !window.confirm(t('properties.form.confirmDelete', { title: current.title }))) return;
    const r = await call('properties.delete', { id: current.id });
    if (r.ok) await onDeleted();
    else setError(r.error.message);
  };

  const unit = (i: number, patch: Partial<Form['units'][number]>) =>
    set(
      'units',
      form.units.map((u, j) => (j === i ? { ...u, ...patch } : u)),
    );

  return (
    <form className="property-form stack" onSubmit={(e) => void submit(e)} data-testid="property-form">
      <div className="property-form-head">
        <h2>{current ? current.title : t('properties.form.headingNew')}</h2>
        {current ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => onOffer(current.id)}
            data-testid="offer-open"
          >
            {t('properties.form.sendOffer')}
          </button>
        ) : null}
      </div>
      <div className="card">
        <div className="grid-4">
          <label className="field span-3">
            <span>{t('properties.form.title')}</span>
            <input
              value={form.title}
              onChange={(e) => set('title', e.target.value)}
              required
              maxLength={200}
              data-testid="property-title"
            />
          </label>
          <label className="field">
            <span>{t('properties.form.kind')}</span>
            <select
              value={form.units.length > 0 ? 'project' : form.kind}
              onChange={(e) => set('kind', e.target.value as Form['kind'])}
            >
              <option value="single">{t('properties.single')}</option>
              <option value="project">{t('properties.project')}</option>
            </select>
          </label>
          <label className="field span-3">
            <span>{t('properties.form.street')}</span>
            <input value={form.street} onChange={(e) => set('street', e.target.value)} maxLength={200} />
          </label>
          <label className="field">
            <span>{t('properties.form.houseNumber')}</span>
            <input
              value={form.houseNumber}
              onChange={(e) => set('houseNumber', e.target.value)}
              maxLength={20}
            />
          </label>
          <label className="field">
            <span>{t('properties.form.postalCode')}</span>
            <input
              value={form.postalCode}
              onChange={(e) => set('postalCode', e.target.value)}
              maxLength={10}
              inputMode="numeric"
            />
          </label>
          <label className="field span-3">
            <span>{t('properties.form.city')}</span>
            <input value={form.city} onChange={(e) => set('city', e.target.value)} maxLength={100} />
          </label>
          <label className="field span-2">
            <span>{t('properties.form.price')}</span>
            <input
              value={form.price}
              onChange={(e) => set('price', e.target.value)}
              inputMode="decimal"
              placeholder={euro(current?.price ?? null, i18n.language)}
            />
          </label>
          <label className="field">
            <span>{t('properties.form.area')}</span>
            <input value={form.area} onChange={(e) => set('area', e.target.value)} inputMode="decimal" />
          </label>
          <label className="field">
            <span>{t('properties.form.rooms')}</span>
            <input value={form.rooms} onChange={(e) => set('rooms', e.target.value)} inputMode="decimal" />
          </label>
          <label className="field span-4">
            <span>{t('properties.form.description')}</span>
            <textarea
              value={form.description}
              onChange={(e) => set('description', e.target.value)}
              rows={5}
              maxLength={20_000}
            />
          </label>
          <label className="field span-4">
            <span>{t('properties.form.commissionNotice')}</span>
            <input
              value={form.commissionNotice}
              onChange={(e) => set('commissionNotice', e.target.value)}
              placeholder={t('properties.form.commissionPlaceholder')}
              maxLength={5000}
            />
          </label>
        </div>
      </div>

      <fieldset className="card">
        <legend>{t('properties.form.units')}</legend>
        {form.units.length > 0 ? (
          <table className="units-table" data-testid="units-table">
            <thead>
              <tr>
                <th>{t('properties.form.unitNumber')}</th>
                <th>{t('properties.form.unitFloor')}</th>
                <th>{t('properties.form.unitArea')}</th>
                <th>{t('properties.form.unitRooms')}</th>
                <th>{t('properties.form.unitPrice')}</th>
                <th>{t('properties.form.unitStatus')}</th>
                <th aria-label={t('properties.form.remove')} />
              </tr>
            </thead>
            <tbody>
              {form.units.map((u, i) => (
                <tr key={`${u.id}-${i}`} data-testid="unit-row">
                  <td>
                    <input
                      aria-label={t('properties.form.unitNumber')}
                      value={u.number}
                      onChange={(e) => unit(i, { number: e.target.value })}
                      maxLength={50}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('properties.form.unitFloor')}
                      value={u.floor}
                      onChange={(e) => unit(i, { floor: e.target.value })}
                      maxLength={50}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('properties.form.unitArea')}
                      value={u.area}
                      onChange={(e) => unit(i, { area: e.target.value })}
                      inputMode="decimal"
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('properties.form.unitRooms')}
                      value={u.rooms}
                      onChange={(e) => unit(i, { rooms: e.target.value })}
                      inputMode="decimal"
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('properties.form.unitPrice')}
                      value={u.price}
                      onChange={(e) => unit(i, { price: e.target.value })}
                      inputMode="decimal"
                    />
                  </td>
                  <td>
                    <select
                      aria-label={t('properties.form.unitStatus')}
                      value={u.status}
                      onChange={(e) => unit(i, { status: e.target.value as OfferUnit['status'] })}
                    >
                      {(['available', 'reserved', 'sold'] as const).map((s) => (
                        <option key={s} value={s}>
                          {t(`properties.form.status.${s}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        set(
                          'units',
                          form.units.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t('properties.form.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <div>
          <button
            type="button"
            className="btn btn-quiet btn-small"
            onClick={() =>
              set('units', [
                ...form.units,
                {
                  id: `u${Date.now().toString(36)}`,
                  number: `WE ${form.units.length + 1}`,
                  floor: '',
                  area: '',
                  rooms: '',
                  price: '',
                  status: 'available',
                },
              ])
            }
          >
            {t('properties.form.addUnit')}
          </button>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>{t('properties.form.links')}</legend>
        {form.links.map((l, i) => (
          <div className="link-row" key={i}>
            <input
              aria-label={t('properties.form.linkLabel')}
              placeholder={t('properties.form.linkLabel')}
              value={l.label}
              onChange={(e) =>
                set(
                  'links',
                  form.links.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)),
                )
              }
              maxLength={200}
            />
            <input
              aria-label={t('properties.form.linkUrl')}
              placeholder={t('properties.form.linkUrl')}
              value={l.url}
              type="url"
              onChange={(e) =>
                set(
                  'links',
                  form.links.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)),
                )
              }
            />
            <button
              type="button"
              className="link-button"
              onClick={() =>
                set(
                  'links',
                  form.links.filter((_, j) => j !== i),
                )
              }
            >
              {t('properties.form.remove')}
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="btn btn-quiet btn-small"
            onClick={() => set('links', [...form.links, { label: '', url: '' }])}
          >
            {t('properties.form.addLink')}
          </button>
        </div>
      </fieldset>

      <fieldset className="card" data-testid="property-files">
        <legend>{t('properties.form.files')}</legend>
        <p className="muted small">
          {current ? t('properties.form.filesHint') : t('properties.form.saveFirst')}
        </p>
        {current
          ? ROLES.map((role) => {
              const files = current.files.filter((f) => f.role === role);
              return (
                <div className="file-group" key={role}>
                  <div className="file-group-head">
                    <strong>{t(`properties.form.role.${role}`)}</strong>
                    <input
                      type="file"
                      multiple={role !== 'expose'}
                      accept={ACCEPT[role]}
                      id={`upload-${role}`}
                      className="visually-hidden"
                      onChange={(e) => {
                        void upload(role, e.target.files);
                        e.target.value = '';
                      }}
                      data-testid={`upload-${role}`}
                    />
                    <label htmlFor={`upload-${role}`} className="btn btn-quiet btn-small">
                      {t('properties.form.upload', { role: t(`properties.form.role.${role}`) })}
                    </label>
                  </div>
                  {files.length > 0 ? (
                    <ul className="file-list">
                      {files.map((f) => (
                        <li key={f.id} data-testid="property-file">
                          <span>{f.name}</span>
                          <span className="muted small">{sizeLabel(f.size)}</span>
                          <button type="button" className="link-button" onClick={() => void removeFile(f.id)}>
                            {t('properties.form.remove')}
                          </button>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              );
            })
          : null}
      </fieldset>

      {error ? (
        <p className="form-error" role="alert" data-testid="property-error">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="property-save">
          {t('properties.form.save')}
        </button>
        {savedNote ? <span className="form-ok">{t('properties.form.saved')}</span> : null}
        {current ? (
          <button type="button" className="btn btn-quiet danger" onClick={() => void remove()}>
            {t('properties.form.delete')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function LegalPanel() {
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
    void call('legal.get', {}).then((r) => (r.ok ? apply(r.value) : setError(r.error.message)));
  }, []);

  const saveText = async () => {
    const r = await call('legal.saveText', { text });
    if (!r.ok) return setError(r.error.detail ? `${r.error.message} (${r.error.detail})` : r.error.message);
    apply(r.value);
    setError(null);
    setNote(t('properties.legal.saved'));
  };
  const saveProfile = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('legal.saveProfile', profile);
    if (!r.ok) return setError(r.error.message);
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
          {['firma', 'anschrift', 'telefon', 'email'].map((p) => (
            <code key={p} className="placeholder">{`{{${p}}}`}</code>
          ))}
        </p>
        <textarea
          className="legal-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={18}
          data-testid="legal-text"
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
