import { useTranslation } from 'react-i18next';
import type { LinkRow } from './form-model';

/** Labelled links of a property; rows without a URL are dropped on save. */
export function LinksEditor({ links, onChange }: { links: LinkRow[]; onChange: (links: LinkRow[]) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="card">
      <legend>{t('properties.form.links')}</legend>
      {links.map((l, i) => (
        <div className="link-row" key={i}>
          <input
            aria-label={t('properties.form.linkLabel')}
            placeholder={t('properties.form.linkLabel')}
            value={l.label}
            onChange={(e) => onChange(links.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
            maxLength={200}
          />
          <input
            aria-label={t('properties.form.linkUrl')}
            placeholder={t('properties.form.linkUrl')}
            value={l.url}
            type="url"
            onChange={(e) => onChange(links.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)))}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => onChange(links.filter((_, j) => j !== i))}
          >
            {t('properties.form.remove')}
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="btn btn-quiet btn-small"
          onClick={() => onChange([...links, { label: '', url: '' }])}
        >
          {t('properties.form.addLink')}
        </button>
      </div>
    </fieldset>
  );
}
