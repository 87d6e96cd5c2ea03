import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  alreadyAsked,
  askPermission,
  currentNotifyPermission,
  type NotifyPermission,
} from '../lib/browser-notify';
import { useApp } from '../store/app';
import { Bolt } from './Bolt';

/**
 * In the browser host: one quiet bar offering the browser's notifications, until the agent has
 * answered once. (Electron needs no permission; its notifications come from the shell.)
 */
export function NotifyPrompt() {
  const { t } = useTranslation();
  const bridge = useApp((s) => s.bridge);
  // read only where it is shown (the browser host): Electron's renderer asks nothing
  const [permission, setPermission] = useState<NotifyPermission>(() =>
    bridge === 'http' ? currentNotifyPermission() : 'unsupported',
  );
  const [asked, setAsked] = useState(() => bridge === 'http' && alreadyAsked());
  const [justAnswered, setJustAnswered] = useState(false);
  if (bridge !== 'http' || permission === 'unsupported' || permission === 'granted') return null;
  if (permission === 'denied') {
    // said right after the answer, then left alone
    if (!justAnswered) return null;
    return (
      <div className="banner banner-info" role="status" data-testid="notify-prompt">
        {t('firstHour.notify.denied')}
      </div>
    );
  }
  if (asked) return null;
  return (
    <div className="banner banner-info notify-prompt" data-testid="notify-prompt">
      <Bolt active size={16} />
      <span>{t('firstHour.notify.explain')}</span>
      <button
        type="button"
        className="btn btn-small btn-primary"
        onClick={async () => {
          // the offer goes at once: the browser's own question may stay open for a while
          setAsked(true);
          setJustAnswered(true);
          setPermission(await askPermission());
        }}
        data-testid="notify-enable"
      >
        {t('firstHour.notify.enable')}
      </button>
    </div>
  );
}
