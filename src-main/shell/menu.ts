import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The German application menu. Roles keep the platform behaviour; labels are ours. */
export function buildAppMenu(opts: { isDev: boolean }): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: 'Blitz',
            submenu: [
              { role: 'about', label: 'Über Blitz' },
              { type: 'separator' },
              { role: 'hide', label: 'Blitz ausblenden' },
              { role: 'hideOthers', label: 'Andere ausblenden' },
              { role: 'unhide', label: 'Alle einblenden' },
              { type: 'separator' },
              { role: 'quit', label: 'Blitz beenden' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'Datei',
      submenu: [isMac ? { role: 'close', label: 'Fenster schließen' } : { role: 'quit', label: 'Beenden' }],
    },
    {
      label: 'Bearbeiten',
      submenu: [
        { role: 'undo', label: 'Rückgängig' },
        { role: 'redo', label: 'Wiederholen' },
        { type: 'separator' },
        { role: 'cut', label: 'Ausschneiden' },
        { role: 'copy', label: 'Kopieren' },
        { role: 'paste', label: 'Einfügen' },
        { role: 'selectAll', label: 'Alles auswählen' },
      ],
    },
    {
      label: 'Ansicht',
      submenu: [
        ...(opts.isDev
          ? ([
              { role: 'reload', label: 'Neu laden' },
              { role: 'toggleDevTools', label: 'Entwicklerwerkzeuge' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom', label: 'Originalgröße' },
        { role: 'zoomIn', label: 'Vergrößern' },
        { role: 'zoomOut', label: 'Verkleinern' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Vollbild' },
      ],
    },
    {
      label: 'Fenster',
      submenu: [
        { role: 'minimize', label: 'Minimieren' },
        { role: 'zoom', label: 'Zoomen' },
      ],
    },
    {
      label: 'Hilfe',
      submenu: [{ role: 'about', label: 'Über Blitz' }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
