import type { MenuItemConstructorOptions } from 'electron';
import type { MessageKey } from '../../src-shared/messages';

export interface MenuTemplateOptions {
  isDev: boolean;
  isMac: boolean;
  /** the label of a message key in the UI's language (src-shared/i18n, block „application menu“) */
  label: (key: MessageKey) => string;
}

/**
 * The application menu as Electron's template, without Electron: roles keep the platform
 * behaviour, labels follow the UI language. A pure function, so vitest checks it
 * (test/shell/menu-template.test.ts); menu.ts hands it to Menu.buildFromTemplate.
 */
export function appMenuTemplate({
  isDev,
  isMac,
  label: l,
}: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { role: 'about', label: l('menuAbout') };
  return [
    ...(isMac
      ? [
          {
            label: 'Blitz',
            submenu: [
              about,
              { type: 'separator' },
              { role: 'hide', label: l('menuHide') },
              { role: 'hideOthers', label: l('menuHideOthers') },
              { role: 'unhide', label: l('menuShowAll') },
              { type: 'separator' },
              { role: 'quit', label: l('menuQuitBlitz') },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: l('menuFile'),
      submenu: [
        isMac ? { role: 'close', label: l('menuCloseWindow') } : { role: 'quit', label: l('menuQuit') },
      ],
    },
    {
      label: l('menuEdit'),
      submenu: [
        { role: 'undo', label: l('menuUndo') },
        { role: 'redo', label: l('menuRedo') },
        { type: 'separator' },
        { role: 'cut', label: l('menuCut') },
        { role: 'copy', label: l('menuCopy') },
        { role: 'paste', label: l('menuPaste') },
        { role: 'selectAll', label: l('menuSelectAll') },
      ],
    },
    {
      label: l('menuView'),
      submenu: [
        ...(isDev
          ? ([
              { role: 'reload', label: l('menuReload') },
              { role: 'toggleDevTools', label: l('menuDevTools') },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom', label: l('menuResetZoom') },
        { role: 'zoomIn', label: l('menuZoomIn') },
        { role: 'zoomOut', label: l('menuZoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: l('menuFullscreen') },
      ],
    },
    {
      label: l('menuWindow'),
      submenu: [
        { role: 'minimize', label: l('menuMinimize') },
        { role: 'zoom', label: l('menuZoom') },
      ],
    },
    {
      label: l('menuHelp'),
      submenu: [about],
    },
  ];
}
