import { useTranslation } from 'react-i18next';
import type { ContactDto } from '../../../src-shared/ipc';
import './consent.css';

/** issue 17: a recipient suggestion's tracking mode when it is not simply tracked */
export function ConsentBadge({ consent }: { consent: ContactDto['consent'] }) {
  const { t } = useTranslation();
  if (!consent) return null;
  const text =
    consent.state === 'withdrawn'
      ? t('consent.badge.withdrawn')
      : consent.mode === 'never'
        ? t('consent.modes.never')
        : consent.mode === 'after_consent'
          ? consent.state === 'given'
            ? t('consent.badge.consented')
            : t('consent.modes.after_consent')
          : null;
  if (!text) return null;
  return (
    <span className={`consent-badge consent-badge-${consent.state}`} data-testid="consent-badge">
      {text}
    </span>
  );
}
