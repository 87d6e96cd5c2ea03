/**
 * Texts of the first-hour work (issue 12, UX side): local test mode, browser notifications,
 * drafts, long-text editor, layout. A namespace of its own, merged under `firstHour`.
 */
export const firstHourDe = {
  welcome: {
    localText:
      'Startet einen Tracking-Server auf diesem Computer – ideal zum Ausprobieren mit Ihrem eigenen E-Mail-Konto. Pixel und Links zeigen auf diesen Computer: Öffnen Sie die E-Mail deshalb in Ihrem Webmail hier auf diesem Computer, dann sehen Sie den Empfänger im Blitz.',
    tryTitle: 'So probieren Sie es aus',
    try1: 'Testmodus starten und in den Einstellungen Ihr E-Mail-Konto eintragen.',
    try2: 'Unter „Neue E-Mail“ eine getrackte E-Mail an sich selbst senden.',
    try3: 'Die E-Mail in Ihrem Webmail auf diesem Computer öffnen (Bilder anzeigen) und einen Link anklicken.',
    try4: 'Der Blitz leuchtet auf: „… öffnete die E-Mail“ mit dem Namen des Empfängers, dazu eine Benachrichtigung.',
    selfNote:
      'Ihre eigenen Ansichten zählen nicht: die Kopie im Ordner „Gesendet“ enthält kein Pixel, und ein Ereignis, das Sie selbst ausgelöst haben, markieren Sie mit „Das war ich“.',
    errors: {
      collector_unauthorized:
        'Der Tracking-Server hat den Zugangsschlüssel abgelehnt. Bitte prüfen Sie ihn oben.',
      collector_token_missing: 'Bitte tragen Sie oben den Zugangsschlüssel ein.',
      collector_unreachable:
        'Unter dieser Adresse ist kein Tracking-Server erreichbar. Bitte prüfen Sie die Adresse oben.',
    },
  },
  feed: {
    itWasMe: 'Das war ich',
    itWasMeHint: 'Markiert dieses Ereignis als Ihr eigenes: es zählt nicht mehr als Öffnung des Empfängers.',
  },
  notify: {
    enable: 'Desktop-Benachrichtigungen einschalten',
    enabled: 'Desktop-Benachrichtigungen sind eingeschaltet.',
    denied:
      'Der Browser blockiert Benachrichtigungen für diese Seite. Neue Ereignisse erscheinen nur hier in der App.',
    explain:
      'Blitz meldet neue Öffnungen und Klicks als Benachrichtigung Ihres Browsers – auch wenn dieses Fenster im Hintergrund ist.',
  },
  drafts: {
    title: 'Entwürfe',
    saved: 'Entwurf gespeichert',
    saving: 'Wird gespeichert …',
    resume: 'Weiterschreiben',
    delete: 'Entwurf löschen',
    noSubject: '(ohne Betreff)',
    noRecipient: '(kein Empfänger)',
    keptToast: 'Ihre E-Mail wurde als Entwurf gespeichert.',
    keptBody: 'Sie finden sie unter „Neue E-Mail“ › Entwürfe.',
    discardConfirm: 'Diese E-Mail verwerfen? Empfänger, Betreff, Text und Anhänge werden gelöscht.',
    discardYes: 'Verwerfen',
    discardNo: 'Abbrechen',
    updatedAt: 'zuletzt {{time}}',
  },
  afterSend: {
    filterCleared: 'Suche und Filter wurden zurückgesetzt, damit Ihre neue E-Mail sichtbar ist.',
  },
  longText: {
    edit: 'Bearbeiten',
    preview: 'Vorschau',
    both: 'Nebeneinander',
    hint: 'Überschrift: „# “ am Zeilenanfang, Zwischenüberschrift: „## “. Eine leere Zeile beginnt einen neuen Absatz. Die Vorschau zeigt den Text, wie ihn der Interessent erhält.',
    previewLabel: 'Vorschau des Textes',
  },
  offline: {
    title: 'Der Tracking-Server ist nicht erreichbar.',
    text: 'Neue Ereignisse kommen an, sobald er wieder erreichbar ist. Gesendete E-Mails warten in der Warteschlange.',
  },
  empty: {
    localTitle: 'Lokaler Testmodus läuft',
    compose: 'Neue E-Mail schreiben',
  },
};
