import { describe, expect, it } from 'vitest';
import { createTranslator, type Language } from '../../src-main/core/i18n';
import { appMenuTemplate } from '../../src-main/shell/menu-template';
import { msg } from '../../src-shared/messages';

const translator = createTranslator();
/** Electron's menu item type, through the template (tests never import electron, not even its types) */
type MenuItemConstructorOptions = ReturnType<typeof appMenuTemplate>[number];

const template = (language: Language, isMac: boolean, isDev = false) =>
  appMenuTemplate({ isDev, isMac, label: (key) => translator.message(language, msg(key)) });

/** every label of the menu, depth first */
function labels(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [
    ...(i.label !== undefined ? [i.label] : []),
    ...(Array.isArray(i.submenu) ? labels(i.submenu) : []),
  ]);
}

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [
    ...(i.role !== undefined ? [String(i.role)] : []),
    ...(Array.isArray(i.submenu) ? roles(i.submenu) : []),
  ]);
}

describe('application menu template', () => {
  it.each([true, false])('speaks English with the UI in English (macOS %s)', (isMac) => {
    const en = labels(template('en', isMac, true));
    const de = new Set(labels(template('de', isMac, true)));
    expect(en).toContain('Edit');
    expect(en).toContain('Select All');
    expect(en).toContain(isMac ? 'Close Window' : 'Quit');
    // no German label left, except the product's name
    for (const l of en) {
      if (l === 'Blitz') continue;
      expect(de.has(l), `„${l}“ is the German label too`).toBe(false);
      expect(l).not.toMatch(/[äöüß]|menu[A-Z]/);
    }
  });

  it('speaks German with the UI in German, every label a translated key', () => {
    const de = labels(template('de', false, true));
    expect(de).toEqual(
      expect.arrayContaining(['Datei', 'Beenden', 'Bearbeiten', 'Alles auswählen', 'Ansicht', 'Hilfe']),
    );
    for (const l of de) expect(l).not.toMatch(/^menu[A-Z]/);
  });

  it('keeps the platform roles whatever the language, and the dev items only in development', () => {
    expect(roles(template('en', true))).toEqual(roles(template('de', true)));
    expect(roles(template('en', false))).toEqual(roles(template('de', false)));
    expect(roles(template('en', true))).toContain('hideOthers');
    expect(roles(template('en', false))).not.toContain('hideOthers');
    expect(roles(template('en', false))).not.toContain('toggleDevTools');
    expect(roles(template('en', false, true))).toContain('toggleDevTools');
  });
});
