import { useTranslation } from 'react-i18next';
import type { PropertyDto, PropertyFileRole } from '../../../src-shared/ipc';
import { call } from '../../store/app';
import { fileType, readFileBase64, sizeLabel } from './files';
import { tm } from '../../lib/messages';

const ROLES: PropertyFileRole[] = ['image', 'floor_plan', 'document', 'expose'];
const ACCEPT: Record<PropertyFileRole, string> = {
  image: 'image/jpeg,image/png,image/webp',
  floor_plan: 'application/pdf,image/jpeg,image/png,image/webp',
  document: 'application/pdf',
  expose: 'application/pdf',
};

/**
 * Images, floor plans, documents and the exposé of a saved property. Each upload or removal is
 * stored at once, not with the form's save, so the section hands the updated property upwards.
 */
export function FilesSection({
  current,
  onChanged,
  onError,
}: {
  current: PropertyDto | null;
  onChanged: (p: PropertyDto) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();

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
        onError(tm(t, r.error.message));
        return;
      }
      onChanged(r.value);
    }
  };

  const removeFile = async (fileId: string) => {
    if (!current) return;
    const r = await call('properties.removeFile', { propertyId: current.id, fileId });
    if (r.ok) {
      onChanged(r.value);
    } else onError(tm(t, r.error.message));
  };

  return (
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
  );
}
