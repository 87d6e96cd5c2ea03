import { useTranslation } from 'react-i18next';
import type { OfferUnit } from '../../../src-shared/api';
import type { UnitRow } from './form-model';

/** The units (Wohneinheiten) of a project: one editable table row each, with its sales status. */
export function UnitsEditor({ units, onChange }: { units: UnitRow[]; onChange: (units: UnitRow[]) => void }) {
  const { t } = useTranslation();
  const unit = (i: number, patch: Partial<UnitRow>) =>
    onChange(units.map((u, j) => (j === i ? { ...u, ...patch } : u)));

  return (
    <fieldset className="card">
      <legend>{t('properties.form.units')}</legend>
      {units.length > 0 ? (
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
            {units.map((u, i) => [
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
                    onClick={() => onChange(units.filter((_, j) => j !== i))}
                  >
                    {t('properties.form.remove')}
                  </button>
                </td>
              </tr>,
              // the unit's own title (OpenImmo objekttitel) on a line of its own, the teaser as its tooltip
              <tr key={`${u.id}-${i}-title`} className="unit-title-row">
                <td colSpan={7}>
                  <input
                    aria-label={`${u.number}: ${t('energyImport.unitTitle')}`}
                    placeholder={t('energyImport.unitTitlePlaceholder')}
                    value={u.title}
                    onChange={(e) => unit(i, { title: e.target.value })}
                    title={u.teaser || undefined}
                    maxLength={200}
                    data-testid="unit-title"
                  />
                </td>
              </tr>,
            ])}
          </tbody>
        </table>
      ) : null}
      <div>
        <button
          type="button"
          className="btn btn-quiet btn-small"
          onClick={() =>
            onChange([
              ...units,
              {
                id: `u${Date.now().toString(36)}`,
                number: `WE ${units.length + 1}`,
                floor: '',
                area: '',
                rooms: '',
                price: '',
                status: 'available',
                title: '',
                teaser: '',
              },
            ])
          }
        >
          {t('properties.form.addUnit')}
        </button>
      </div>
    </fieldset>
  );
}
