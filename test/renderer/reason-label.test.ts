import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n, loadLanguage } from '../../src-renderer/i18n';
import { reasonLabel } from '../../src-renderer/lib/format';

// the reason map is read once per language (h12): a language switch must not keep the other one's labels
describe('reasonLabel', () => {
  const i18n = initI18n();
  // English is a chunk of its own, loaded on demand (issue 12)
  beforeAll(() => loadLanguage('en'));

  it('labels a reason in the language of its t, each language from its own map', async () => {
    const de = i18n.getFixedT('de');
    const en = i18n.getFixedT('en');
    expect(reasonLabel(['ua.mail_proxy'], de)).toBe('Bildproxy des Mailanbieters');
    expect(reasonLabel(['ua.mail_proxy'], en)).toBe("the mail provider's image proxy");
    // asked again (now from the cache), the answers stay apart
    expect(reasonLabel(['ua.mail_proxy'], de)).not.toBe(reasonLabel(['ua.mail_proxy'], en));
    await i18n.changeLanguage('en');
    expect(reasonLabel(['ua.mail_proxy'], i18n.getFixedT('en'))).toBe("the mail provider's image proxy");
  });

  it('takes the first reason that has a label, none for unknown or no reasons', () => {
    const en = i18n.getFixedT('en');
    expect(reasonLabel(['no.such', 'ip.apple_mpp'], en)).toBe('Apple Mail Privacy Protection');
    expect(reasonLabel(['no.such'], en)).toBeNull();
    expect(reasonLabel([], en)).toBeNull();
  });
});
