import i18next, { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../src-shared/messages';

/** The core's message in the UI language (the `msg` namespace of the locales). */
export function tm(t: TFunction, m: Message): string {
  return t(`msg.${m.key}`, { ...(m.params ?? {}), defaultValue: t('errors.generic') });
}

/** For stores and other places outside React: the same, with the global i18next. */
export function translateMessage(m: Message): string {
  return tm(i18next.t, m);
}

/**
 * An error or server problem for the agent: the explanation in plain words, then (collapsed
 * behind „Details“) the server's raw reply, which a support person may need.
 */
export function ErrorText({
  message,
  cause,
  detail,
  className = 'form-error',
  testId,
}: {
  message: Message;
  cause?: Message | null;
  detail?: string | null;
  className?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className={className} role="alert" data-testid={testId}>
      <span>{tm(t, message)}</span>
      {cause ? <span> {tm(t, cause)}</span> : null}
      {detail ? (
        <details className="error-details">
          <summary>{t('errors.details')}</summary>
          <code>{detail}</code>
        </details>
      ) : null}
    </div>
  );
}
