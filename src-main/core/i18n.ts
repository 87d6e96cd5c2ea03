import i18next, { type i18n } from 'i18next';
import { eventTextsDe, eventTextsEn, eventSentence, type SentenceInput } from '../../src-shared/i18n/events';
import { messagesDe } from '../../src-shared/i18n/messages-de';
import { messagesEn } from '../../src-shared/i18n/messages-en';
import type { Message } from '../../src-shared/messages';

export type Language = 'de' | 'en';

/**
 * The core says almost everything as message keys, which the renderer translates. Native
 * notifications are the exception: the shell shows them while no window may be open, so the core
 * words them itself, in the language the agent chose, from the same catalogue the renderer loads.
 */
export function createTranslator() {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: {
      de: { translation: { feed: eventTextsDe, msg: messagesDe } },
      en: { translation: { feed: eventTextsEn, msg: messagesEn } },
    },
    lng: 'de',
    fallbackLng: 'de',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const tFor = (lang: Language) => instance.getFixedT(lang);
  return {
    message(lang: Language, m: Message): string {
      return tFor(lang)(`msg.${m.key}`, m.params ?? {});
    },
    /** „Anna Beispiel öffnete die E-Mail“ */
    eventSentence(lang: Language, item: SentenceInput): string {
      const t = tFor(lang);
      return eventSentence((key, options) => t(key, options ?? {}), item);
    },
    /** a notification's body: the e-mail it is about, and how many more came with it */
    notificationBody(lang: Language, subject: string, count = 1): string {
      const t = tFor(lang);
      const s = subject.trim() === '' ? t('feed.noSubject') : subject;
      return count > 1 ? t('feed.notificationMore', { subject: s, count }) : s;
    },
  };
}
export type Translator = ReturnType<typeof createTranslator>;
