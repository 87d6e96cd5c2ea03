import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PropertyDto } from '../../../src-shared/ipc';
import { call } from '../../store/app';
import { FilesSection } from './FilesSection';
import { euro, toForm, toSaveInput, type PropertyFormValues } from './form-model';
import { EnergySection } from './EnergySection';
import { LinksEditor } from './LinksEditor';
import { UnitsEditor } from './UnitsEditor';
import { tm } from '../../lib/messages';

/** a long description gets room (about 90 characters a line), up to a scrolling 28 lines */
function descriptionRows(text: string): number {
  const lines = text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 90)), 0);
  return Math.min(28, Math.max(6, lines + 1));
}

/** One property, new or saved: its data, units and links are saved together; files only once it exists. */
export function PropertyForm({
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
  const [form, setForm] = useState<PropertyFormValues>(() => toForm(property));
  const [current, setCurrent] = useState<PropertyDto | null>(property);
  const [error, setError] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof PropertyFormValues>(k: K, v: PropertyFormValues[K]) =>
    setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await call('properties.save', toSaveInput(form, current));
    setBusy(false);
    if (!r.ok) {
      setError(tm(t, r.error.message));
      return;
    }
    setCurrent(r.value);
    setSavedNote(true);
    setTimeout(() => setSavedNote(false), 2500);
    await onSaved(r.value);
  };

  const remove = async () => {
    if (!current || !window.confirm(t('properties.form.confirmDelete', { title: current.title }))) return;
    const r = await call('properties.delete', { id: current.id });
    if (r.ok) await onDeleted();
    else setError(tm(t, r.error.message));
  };

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
              onChange={(e) => set('kind', e.target.value as PropertyFormValues['kind'])}
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
              rows={descriptionRows(form.description)}
              maxLength={20_000}
              className="description-field"
              data-testid="property-description"
            />
          </label>
          <label className="field span-4">
            <span>{t('properties.form.commissionNotice')}</span>
            <textarea
              value={form.commissionNotice}
              onChange={(e) => set('commissionNotice', e.target.value)}
              placeholder={t('properties.form.commissionPlaceholder')}
              maxLength={5000}
              rows={Math.min(8, Math.max(2, descriptionRows(form.commissionNotice) - 4))}
              className="description-field"
            />
          </label>
        </div>
      </div>

      <EnergySection energy={form.energy} onChange={(energy) => set('energy', energy)} />

      <UnitsEditor units={form.units} onChange={(units) => set('units', units)} />

      <LinksEditor links={form.links} onChange={(links) => set('links', links)} />

      <FilesSection
        current={current}
        onChanged={(p) => {
          setCurrent(p);
          onChanged(p);
        }}
        onError={setError}
      />

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
