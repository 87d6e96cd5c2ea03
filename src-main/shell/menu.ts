import { Menu } from 'electron';
import { msg } from '../../src-shared/messages';
import type { Language, Translator } from '../core/i18n';
import { appMenuTemplate } from './menu-template';

/** The application menu in the UI's language (built again when the agent switches it). */
export function buildAppMenu(opts: { isDev: boolean; language: Language; translator: Translator }): Menu {
  return Menu.buildFromTemplate(
    appMenuTemplate({
      isDev: opts.isDev,
      isMac: process.platform === 'darwin',
      label: (key) => opts.translator.message(opts.language, msg(key)),
    }),
  );
}
