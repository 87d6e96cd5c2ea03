import { useTranslation } from 'react-i18next';

export function WhyNotAll({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="help-entry" aria-labelledby="help-why" data-testid="help-why">
      <H id="help-why">{t('help.whyTitle')}</H>
      <p>{t('help.whyIntro')}</p>
      <ul>
        <li>{t('help.whyBlocked')}</li>
        <li>{t('help.whyBlockers')}</li>
        <li>{t('help.whyApple')}</li>
        <li>{t('help.whyGmail')}</li>
        <li>{t('help.whyScanners')}</li>
        <li>{t('help.whyShared')}</li>
        <li>{t('help.whyOff')}</li>
      </ul>
    </section>
  );
}

export function HelpView() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('help.title')}</h1>
      </header>
      <div className="page-body narrow">
        <WhyNotAll />
      </div>
    </div>
  );
}
