import { useTranslation } from 'react-i18next';
import { EFFICIENCY_CLASSES, energyMissing } from '../../../src-shared/energy';
import { carrierInEnglish, ENERGY_ITEMS } from '../../../src-shared/i18n/energy-terms';
import { energyInput, type EnergyFormValues } from './form-model';

/**
 * The Energieausweis of a property with the items § 87 GEG requires in an ad: type, demand or
 * consumption value, main energy carrier, year of construction, efficiency class.
 */
export function EnergySection({
  energy,
  onChange,
}: {
  energy: EnergyFormValues;
  onChange: (e: EnergyFormValues) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'de';
  // the carrier is prospect-facing German text; the English view names it beside the field
  const carrierEn = lang === 'en' && energy.carrier ? carrierInEnglish(energy.carrier) : null;
  const set = <K extends keyof EnergyFormValues>(k: K, v: EnergyFormValues[K]) =>
    onChange({ ...energy, [k]: v });
  const cert = energyInput(energy);
  const missing = cert ? energyMissing(cert) : [];
  const available = energy.status === 'available';
  return (
    <fieldset className="card" data-testid="energy-section">
      <legend>{t('energyImport.energy.title')}</legend>
      <div className="grid-4">
        <label className="field span-2">
          <span>{t('energyImport.energy.status')}</span>
          <select
            value={energy.status}
            onChange={(e) => set('status', e.target.value as EnergyFormValues['status'])}
            data-testid="energy-status"
          >
            {(['none', 'available', 'pending', 'not_required'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`energyImport.energy.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {available ? (
          <>
            <label className="field span-2">
              <span>{t('energyImport.energy.type')}</span>
              <select
                value={energy.certificateType}
                onChange={(e) =>
                  set('certificateType', e.target.value as EnergyFormValues['certificateType'])
                }
                data-testid="energy-type"
              >
                <option value="">–</option>
                <option value="demand">{t('energyImport.energy.demand')}</option>
                <option value="consumption">{t('energyImport.energy.consumption')}</option>
              </select>
            </label>
            <label className="field">
              <span>
                {energy.certificateType === 'consumption'
                  ? t('energyImport.energy.consumptionValue')
                  : t('energyImport.energy.demandValue')}
              </span>
              <input
                value={energy.value}
                onChange={(e) => set('value', e.target.value)}
                inputMode="decimal"
                data-testid="energy-value"
              />
            </label>
            <label className="field">
              <span>{t('energyImport.energy.efficiencyClass')}</span>
              <select
                value={energy.efficiencyClass}
                onChange={(e) =>
                  set('efficiencyClass', e.target.value as EnergyFormValues['efficiencyClass'])
                }
                data-testid="energy-class"
              >
                <option value="">–</option>
                {EFFICIENCY_CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label className="field span-2">
              <span>{t('energyImport.energy.carrier')}</span>
              <input
                value={energy.carrier}
                onChange={(e) => set('carrier', e.target.value)}
                maxLength={100}
                placeholder={t('energyImport.energy.carrierPlaceholder')}
                data-testid="energy-carrier"
              />
              {carrierEn ? (
                <small className="muted" data-testid="energy-carrier-en">
                  {t('energyImport.energy.carrierMeans', { words: carrierEn })}
                </small>
              ) : null}
            </label>
            <label className="field">
              <span>{t('energyImport.energy.constructionYear')}</span>
              <input
                value={energy.constructionYear}
                onChange={(e) => set('constructionYear', e.target.value)}
                inputMode="numeric"
                maxLength={4}
                data-testid="energy-year"
              />
            </label>
            <label className="field">
              <span>{t('energyImport.energy.buildingType')}</span>
              <select
                value={energy.buildingType}
                onChange={(e) => set('buildingType', e.target.value as EnergyFormValues['buildingType'])}
              >
                <option value="">–</option>
                <option value="residential">{t('energyImport.energy.residential')}</option>
                <option value="non_residential">{t('energyImport.energy.nonResidential')}</option>
              </select>
            </label>
            {energy.certificateType === 'consumption' ? (
              <label className="field">
                <span>{t('energyImport.energy.hotWater')}</span>
                <select
                  value={energy.includesHotWater}
                  onChange={(e) =>
                    set('includesHotWater', e.target.value as EnergyFormValues['includesHotWater'])
                  }
                >
                  <option value="">–</option>
                  <option value="yes">{t('energyImport.energy.yes')}</option>
                  <option value="no">{t('energyImport.energy.no')}</option>
                </select>
              </label>
            ) : null}
            <label className="field">
              <span>{t('energyImport.energy.issuedOn')}</span>
              <input type="date" value={energy.issuedOn} onChange={(e) => set('issuedOn', e.target.value)} />
            </label>
            <label className="field">
              <span>{t('energyImport.energy.validUntil')}</span>
              <input
                type="date"
                value={energy.validUntil}
                onChange={(e) => set('validUntil', e.target.value)}
              />
            </label>
          </>
        ) : null}
      </div>
      {energy.status === 'none' || energy.status === 'pending' ? (
        <p className="muted small">{t('energyImport.energy.pendingHint')}</p>
      ) : null}
      {missing.length > 0 ? (
        <p className="note note-warn small" role="status" data-testid="energy-missing">
          {t('energyImport.energy.missing', { items: missing.map((m) => ENERGY_ITEMS[lang][m]).join(', ') })}
        </p>
      ) : null}
    </fieldset>
  );
}
