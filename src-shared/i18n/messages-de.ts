/**
 * The core's messages (src-shared/messages.ts), German. The renderer loads them as its `msg`
 * namespace; English mirrors every key in messages-en.ts. Parameters use i18next's {{name}}.
 * The collector is called „Tracking-Server“ in every text (agents know what it does by that name).
 */
export const messagesDe = {
  // ---- general
  unknownOperation: 'Unbekannte Operation.',
  invalidInput: 'Ungültige Eingabe.',
  internalError: 'Interner Fehler.',
  hostUnreachable: 'Die Verbindung zur App ist unterbrochen.',
  accessDenied: 'Zugriff verweigert.',
  hostRendererMissing: 'Die Oberfläche ist nicht gebaut.',
  requestTooLarge: 'Die Anfrage ist zu groß.',
  badRequest: 'Ungültige Anfrage.',
  activityNotFound: 'Diese Aktivität gibt es nicht (mehr).',
  eventNotFound: 'Dieses Ereignis ist nicht bekannt.',
  mailNotConfigured: 'Bitte zuerst ein E-Mail-Konto einrichten.',
  onlyAdminTracking: 'Nur die Administration kann das Tracking für das Konto umschalten.',
  localTestModeUnavailable: 'Der lokale Testmodus ist hier nicht verfügbar.',

  // ---- tracking server (collector)
  collectorNotConfigured: 'Bitte zuerst einen Tracking-Server einrichten.',
  collectorTokenMissing: 'Bitte den Zugangsschlüssel des Tracking-Servers eintragen.',
  collectorUnreachable: 'Der Tracking-Server ist nicht erreichbar.',
  collectorUnauthorized:
    'Der Tracking-Server hat den Zugangsschlüssel abgelehnt. Bitte in den Einstellungen einen gültigen Schlüssel eintragen.',
  trackingDisabled:
    'Das Tracking ist für dieses Konto ausgeschaltet (Verwaltung › Systemeinstellungen › Trackings).',
  collectorForbidden: 'Dafür fehlt die Berechtigung (nur für die Administration).',
  collectorBusy: 'Der Tracking-Server ist gerade überlastet.',
  collectorServerError: 'Der Tracking-Server meldet einen internen Fehler.',
  collectorNotFound: 'Der Tracking-Server kennt das Angefragte nicht (mehr).',
  collectorRejected: 'Der Tracking-Server hat die Anfrage abgelehnt (HTTP {{status}}).',
  collectorBadResponse: 'Der Tracking-Server hat unerwartet geantwortet.',

  // ---- SMTP: what the server's reply means
  smtpAuthFailed:
    'Anmeldung am SMTP-Server fehlgeschlagen: Benutzername oder Passwort stimmen nicht. Bitte in den Einstellungen prüfen.',
  smtpAuthTemporary:
    'Der SMTP-Server kann die Anmeldung gerade nicht prüfen (vorübergehende Störung beim Server).',
  smtpAuthRequired:
    'Der SMTP-Server verlangt eine Anmeldung. Bitte Benutzername und Passwort in den Einstellungen eintragen.',
  smtpTlsCertificate:
    'Das Zertifikat des SMTP-Servers ist nicht vertrauenswürdig. Bitte Servername und Verschlüsselung prüfen.',
  smtpTlsFailed:
    'Die verschlüsselte Verbindung zum SMTP-Server kam nicht zustande (STARTTLS). Bitte die Verschlüsselung in den Einstellungen prüfen.',
  smtpTlsRequired:
    'Der SMTP-Server verlangt eine verschlüsselte Verbindung. Bitte in den Einstellungen STARTTLS oder TLS wählen.',
  smtpRelayDenied:
    'Der SMTP-Server nimmt von diesem Absender keine E-Mails zur Weiterleitung an. Bitte Absenderadresse und Anmeldung prüfen.',
  smtpSenderRejected: 'Der SMTP-Server lehnt die Absenderadresse ab. Bitte die Absenderadresse prüfen.',
  smtpMailboxUnavailable:
    'Der Mailserver kennt die Empfängeradresse nicht oder das Postfach ist nicht verfügbar. Bitte die Adresse prüfen.',
  smtpMailboxFull: 'Das Postfach des Empfängers ist voll.',
  smtpMessageTooBig: 'Die E-Mail ist dem Server zu groß. Bitte Anhänge verkleinern.',
  smtpPolicyRejected:
    'Der Server hat die E-Mail nach seinen Regeln abgelehnt (zum Beispiel als unerwünschte Werbung).',
  smtpRejected: 'Der SMTP-Server hat die E-Mail abgelehnt.',
  smtpServiceUnavailable: 'Der SMTP-Server ist gerade nicht verfügbar (überlastet oder in Wartung).',
  smtpTemporary: 'Der SMTP-Server hat die E-Mail vorübergehend nicht angenommen.',
  smtpTimeout: 'Der SMTP-Server antwortet nicht (Zeitüberschreitung).',
  smtpConnectionRefused:
    'Der SMTP-Server {{host}} lehnt die Verbindung auf Port {{port}} ab. Bitte Servername und Port prüfen.',
  smtpHostNotFound:
    'Den SMTP-Server „{{host}}“ gibt es nicht, oder die Internetverbindung fehlt. Bitte den Servernamen prüfen.',
  smtpUnreachable:
    'Der SMTP-Server ist nicht erreichbar. Bitte Servername, Port und Internetverbindung prüfen.',
  smtpFailed: 'Beim Versand über den SMTP-Server ist ein Fehler aufgetreten.',

  // ---- IMAP
  imapAuthFailed:
    'Anmeldung am IMAP-Server fehlgeschlagen: Benutzername oder Passwort stimmen nicht. Bitte in den Einstellungen prüfen.',
  imapTlsCertificate:
    'Das Zertifikat des IMAP-Servers ist nicht vertrauenswürdig. Bitte Servername und Verschlüsselung prüfen.',
  imapTlsFailed:
    'Die verschlüsselte Verbindung zum IMAP-Server kam nicht zustande. Bitte die Verschlüsselung in den Einstellungen prüfen.',
  imapQuota: 'Das Postfach ist voll: die Kopie konnte nicht im Ordner „Gesendet“ abgelegt werden.',
  imapNoPermission: 'Der IMAP-Server erlaubt nicht, in den Ordner „Gesendet“ zu schreiben.',
  imapFolderMissing: 'Der Ordner „Gesendet“ wurde auf dem IMAP-Server nicht gefunden.',
  imapTimeout: 'Der IMAP-Server antwortet nicht (Zeitüberschreitung).',
  imapConnectionRefused:
    'Der IMAP-Server {{host}} lehnt die Verbindung auf Port {{port}} ab. Bitte Servername und Port prüfen.',
  imapHostNotFound:
    'Den IMAP-Server „{{host}}“ gibt es nicht, oder die Internetverbindung fehlt. Bitte den Servernamen prüfen.',
  imapUnreachable:
    'Der IMAP-Server ist nicht erreichbar. Bitte Servername, Port und Internetverbindung prüfen.',
  imapFailed: 'Der IMAP-Server hat die Anfrage abgelehnt.',
  messageInvalid: 'Die Nachricht konnte nicht erstellt werden.',

  // ---- connection test in the settings
  testSmtpOk: 'Verbindung zum SMTP-Server {{host}} hergestellt, Anmeldung erfolgreich.',
  testSmtpNoAuth:
    'Verbindung zum SMTP-Server {{host}} hergestellt. Der Server verlangt keine Anmeldung – das Passwort wurde nicht geprüft.',
  testSmtpNoUser:
    'Verbindung zum SMTP-Server {{host}} hergestellt. Ohne Benutzername wurde keine Anmeldung versucht.',
  testImapFolder: 'IMAP-Anmeldung erfolgreich. Gesendete E-Mails werden in „{{folder}}“ abgelegt.',
  testImapNoFolder: 'IMAP-Anmeldung erfolgreich. Ein Ordner „Sent“ wird beim ersten Versand angelegt.',

  // ---- outbox
  outboxInterrupted:
    'Der Versand wurde unterbrochen. Es ist unklar, ob die E-Mail den Mailserver erreicht hat – bitte entscheiden: erneut senden, als gesendet markieren oder verwerfen.',
  outboxInternalError: 'Interner Fehler beim Versand.',
  outboxNoCollector:
    'Kein Tracking-Server eingerichtet. Ohne Tracking senden oder einen Tracking-Server eintragen.',
  outboxNoMailAccount: 'Kein E-Mail-Konto eingerichtet.',
  outboxOfferNeedsTracking:
    'Das Tracking ist für das Konto ausgeschaltet. Ein Angebot braucht seine Landing Page auf dem Tracking-Server und wurde deshalb nicht gesendet.',
  outboxOfferLandingMissing: 'Die Adresse der Angebotsseite fehlt für {{email}}.',
  outboxOffersUnsupported: 'Angebote werden hier nicht unterstützt.',
  outboxNotDelivered: 'Nicht zugestellt an {{who}}.',
  outboxRecipientRefused: 'Der Mailserver hat die Empfängeradresse abgelehnt.',
  outboxNotFiled: 'Die Kopie konnte nicht im Ordner „Gesendet“ abgelegt werden.',
  outboxNotFound: 'Zu dieser Aktivität gibt es keinen offenen Versand.',
  outboxAlreadyFiled: 'Diese E-Mail ist bereits versendet und abgelegt.',
  outboxSendingNow: 'Diese E-Mail wird gerade versendet.',
  outboxBusy: 'Diese E-Mail wird gerade bearbeitet. Bitte gleich noch einmal versuchen.',
  outboxNothingToFile: 'Diese E-Mail wartet nicht auf die Ablage im Ordner „Gesendet“.',
  outboxFileOnly: 'Diese E-Mail ist bereits gesendet; es fehlt nur die Ablage im Ordner „Gesendet“.',
  offerNeedsTrackingResolve:
    'Ein Angebot kann nicht ohne Tracking gesendet werden: jede Angebotsseite liegt auf dem Tracking-Server. Erneut versuchen oder verwerfen.',
  legacyText: '{{text}}',

  // ---- properties, files, OpenImmo
  propertyNotFound: 'Dieses Objekt gibt es nicht (mehr).',
  fileNotFound: 'Diese Datei gibt es nicht (mehr).',
  fileEmpty: '„{{name}}“ ist leer.',
  fileTypeUnsupported: '„{{name}}“ ist weder JPEG, PNG, WebP noch PDF.',
  fileNotImage: '„{{name}}“ ist kein Bild (JPEG, PNG oder WebP).',
  fileNotPdf: '„{{name}}“ ist kein PDF; Dokumente und das Exposé müssen PDF sein.',
  fileTooLarge: '„{{name}}“ ist zu groß (höchstens {{mb}} MB).',
  externalIdTaken: 'Die Objektnummer „{{id}}“ gehört schon zu einem anderen Objekt.',
  unitIdsDuplicate: 'Zwei Einheiten haben dieselbe Kennung.',
  importFileNotGiven: 'Datei „{{file}}“ wurde nicht mitgegeben.',
  openimmoNoTitle: 'Ein Objekt hat keinen Titel (objekttitel, Stelle {{path}}).',
  openimmoTooManyAttachments: 'Zu viele Anhänge ({{count}}, höchstens {{max}}; Stelle {{path}}).',
  openimmoLinkSkipped: 'Link ohne gültige Adresse übersprungen.',
  openimmoAttachmentNoFile: 'Anhang ohne Datei (daten/pfad) übersprungen.',
  openimmoTooLarge: 'Die OpenImmo-Datei ist zu groß (höchstens 10 MB ohne Anhänge).',
  openimmoDoctype:
    'Die Datei enthält eine DOCTYPE-Deklaration; OpenImmo braucht keine, aus Sicherheitsgründen abgelehnt.',
  openimmoInvalidXml: 'Die Datei ist kein gültiges XML ({{path}}).',
  openimmoInvalidXmlReason:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}. Der XML-Prüfer meldet: {{reasonRaw}}',
  passwordNeededForServer:
    'Bitte das Passwort für den {{server}}-Server eingeben. Ein gespeichertes Passwort gilt nur für den Server, den Port, den Benutzer und die Verschlüsselung, für die es eingegeben wurde.',
  collectorUrlNotAllowed:
    'Die Adresse des Tracking-Servers muss mit https:// beginnen (http:// nur für diesen Computer, z. B. http://127.0.0.1:8080).',
  zipUnsafePath:
    'Das ZIP-Archiv enthält einen unzulässigen Dateinamen („{{name}}“: absoluter Pfad oder „..“). Aus Sicherheitsgründen wird es nicht importiert.',
  zipGrewBeyond:
    'Die Datei „{{name}}“ im ZIP-Archiv entpackt sich größer als angegeben (ZIP-Bombe?). Das Archiv wird nicht importiert.',
  zipUnreadable: 'Die Datei ist kein lesbares ZIP-Archiv (beschädigt oder unvollständig).',
  zipTooLarge: 'Das ZIP-Archiv ist zu groß ({{size}}, höchstens {{max}}).',
  zipTooManyEntries: 'Das ZIP-Archiv enthält {{count}} Einträge, höchstens {{max}} sind erlaubt.',
  zipEncrypted: '„{{name}}“ im ZIP-Archiv ist verschlüsselt; bitte ohne Passwort exportieren.',
  zipEntryTooLarge: '„{{name}}“ im ZIP-Archiv ist entpackt {{size}} groß, höchstens {{max}} je Datei.',
  zipBombRatio:
    '„{{name}}“ im ZIP-Archiv würde sich auf das {{ratio}}-Fache entpacken (ZIP-Bombe?). Das Archiv wird nicht importiert.',
  zipTotalTooLarge: 'Das ZIP-Archiv entpackt sich auf mehr als {{max}}.',
  zipNoXml: 'Das ZIP-Archiv enthält keine OpenImmo-XML-Datei.',
  zipSeveralXml:
    'Das ZIP-Archiv enthält mehrere XML-Dateien ({{names}}); bitte je Export ein Archiv importieren.',
  importTimeout: 'Der Import hat länger als {{seconds}} s gedauert und wurde abgebrochen.',
  importFailed: 'Der Import ist unerwartet abgebrochen.',
  onlyAdminAccountSetting: 'Nur ein Administrator kann diese Kontoeinstellung ändern.',
  outboxConfirmationElsewhere:
    'Diese Bestätigung sendet ein anderes Gerät (oder es hat sie bereits gesendet); hier wurde sie nicht noch einmal gesendet.',
  contactNotFound: 'Diesen Kontakt gibt es nicht.',
  onlyAdminLockStatuses: 'Nur Administratoren können festlegen, welche Status die Landing Pages sperren.',
  lockSettingsNotSaved: 'Die Einstellung wurde nicht gespeichert.',
  outboxConfirmationWaitsForCollector:
    'Der Tracking-Server ist nicht erreichbar; die Bestätigung wird gesendet, sobald er antwortet.',
  draftNotFound: 'Dieser Entwurf existiert nicht mehr.',
  openimmoInvalidXmlAt: 'Die Datei ist kein gültiges XML (Zeile {{line}}, Spalte {{col}}).',
  openimmoNotOpenimmo: 'Das ist keine OpenImmo-Datei (Wurzelelement openimmo fehlt).',
  openimmoVersion: 'OpenImmo-Version {{version}} ist nicht 1.2.x; Import nach bestem Wissen.',
  openimmoNoProvider: 'Die Datei enthält keinen Anbieter.',
  openimmoDeleteSkipped: 'Zum Löschen markiert (aktion DELETE), nicht importiert.',
  openimmoNoProperty: 'Die Datei enthält keine Immobilie.',
  openimmoTooMany: 'Zu viele Immobilien ({{count}}, höchstens {{max}}).',

  // ---- Widerrufsbelehrung
  legalTemplateMissing: 'Die Vorlage der Widerrufsbelehrung fehlt in der Installation.',
  legalNotWiderruf: 'Der Text muss eine Widerrufsbelehrung sein (das Wort „Widerruf“ fehlt).',

  // ---- offers
  offerNotFound: 'Dieses Angebot gibt es nicht (mehr).',
  offerTrackingDisabled:
    'Das Tracking ist für das Konto ausgeschaltet (Verwaltung › Systemeinstellungen › Trackings). Ein Angebot braucht seine Landing Page auf dem Tracking-Server und kann deshalb nicht gesendet werden. Senden Sie das Exposé als normale E-Mail.',
  offerPlaceholdersOpen:
    'In der Widerrufsbelehrung fehlen noch: {{list}}. Bitte unter Objekte › Widerrufsbelehrung eintragen.',
  offerFileMissing: 'Die Datei „{{name}}“ fehlt im Datenordner.',
  offerTwoExposes: 'Ein Angebot kann nur ein Exposé haben.',
  offerTooLarge: 'Die Dateien des Objekts sind zusammen zu groß (höchstens {{mb}} MB).',
  offerInvalid: 'Das Objekt ist so nicht veröffentlichbar: {{issues}}',
  offerNotPublished:
    'Das Angebot ist noch nicht auf dem Tracking-Server veröffentlicht (das geschieht beim Senden).',
  offerNotRegistered: 'Das Angebot ist nicht beim Tracking-Server angemeldet.',
  offerStatusUnreachable:
    'Der Tracking-Server ist nicht erreichbar. Der Status des Angebots wurde nicht geändert. Bitte später erneut versuchen.',
  offerStatusBusy:
    'Der Tracking-Server ist gerade überlastet oder meldet einen Fehler. Der Status des Angebots wurde nicht geändert. Bitte später erneut versuchen.',
  offerEvidenceUnreachable:
    'Der Tracking-Server ist nicht erreichbar. Die Nachweise liegen nur dort und können gerade nicht geladen werden. Bitte später erneut versuchen.',
  offerEvidenceBusy:
    'Der Tracking-Server ist gerade überlastet oder meldet einen Fehler. Die Nachweise liegen nur dort und können gerade nicht geladen werden. Bitte später erneut versuchen.',
  offerEvidenceKeptUnreachable:
    'Der Tracking-Server ist nicht erreichbar. Angezeigt werden die Nachweise, wie er sie zuletzt geliefert hat.',
  offerEvidenceKeptBusy:
    'Der Tracking-Server ist gerade überlastet oder meldet einen Fehler. Angezeigt werden die Nachweise, wie er sie zuletzt geliefert hat.',
  offerUnknownOnCollector:
    'Der Tracking-Server kennt dieses Angebot unter Ihrem Zugang nicht (etwa nach einem Wechsel des Tracking-Servers oder des Zugangs).',

  // ---- feed
  feedApplePrefetch: 'zugestellt an Apple Mail – Öffnen nicht feststellbar',

  // ---- application menu (i12s; src-main/shell/menu-template.ts)
  menuAbout: 'Über Blitz',
  menuHide: 'Blitz ausblenden',
  menuHideOthers: 'Andere ausblenden',
  menuShowAll: 'Alle einblenden',
  menuQuitBlitz: 'Blitz beenden',
  menuFile: 'Datei',
  menuCloseWindow: 'Fenster schließen',
  menuQuit: 'Beenden',
  menuEdit: 'Bearbeiten',
  menuUndo: 'Rückgängig',
  menuRedo: 'Wiederholen',
  menuCut: 'Ausschneiden',
  menuCopy: 'Kopieren',
  menuPaste: 'Einfügen',
  menuSelectAll: 'Alles auswählen',
  menuView: 'Ansicht',
  menuReload: 'Neu laden',
  menuDevTools: 'Entwicklerwerkzeuge',
  menuResetZoom: 'Originalgröße',
  menuZoomIn: 'Vergrößern',
  menuZoomOut: 'Verkleinern',
  menuFullscreen: 'Vollbild',
  menuWindow: 'Fenster',
  menuMinimize: 'Minimieren',
  menuZoom: 'Zoomen',
  draftFileMissing: 'Ein Anhang dieses Entwurfs ist nicht mehr vorhanden.',
  menuHelp: 'Hilfe',

  // ---- issue 19: mailbox signals (replies, bounces, out-of-office from the INBOX)
  mailboxBounceUnknownUser: 'Die Adresse gibt es beim Empfänger nicht (Tippfehler oder Postfach gelöscht).',
  mailboxBounceUnknownDomain: 'Die Domain der Adresse gibt es nicht oder sie nimmt keine E-Mails an.',
  mailboxBounceMailboxFull: 'Das Postfach des Empfängers ist voll.',
  mailboxBounceDisabled: 'Das Postfach des Empfängers ist gesperrt oder stillgelegt.',
  mailboxBounceTooLarge: 'Die E-Mail war dem Server des Empfängers zu groß (Anhänge verkleinern).',
  mailboxBounceRejected: 'Der Server des Empfängers hat die E-Mail abgelehnt (Richtlinie oder Spamfilter).',
  mailboxBounceTemporary:
    'Der Server des Empfängers konnte die E-Mail vorübergehend nicht annehmen und hat aufgegeben.',
  mailboxBounceOther: 'Der Server des Empfängers hat die Zustellung abgelehnt.',
  mailboxBounceNoStatus:
    'Der Server des Empfängers hat die Zustellung abgelehnt, ohne einen Grund zu nennen.',

  // ---- issue 16 desktop: „Nachweis exportieren“
  evidenceExportUnreachable:
    'Der Tracking-Server ist nicht erreichbar. Der Nachweis liegt nur dort und kann gerade nicht exportiert werden. Bitte später erneut versuchen.',
  evidenceExportBusy:
    'Der Tracking-Server ist gerade überlastet oder meldet einen Fehler. Der Nachweis wurde nicht exportiert. Bitte in einer Minute erneut versuchen.',
  evidenceExportUnknownOffer:
    'Der Tracking-Server kennt dieses Angebot unter Ihrem Zugang nicht. Der Nachweis wurde nicht exportiert.',
  evidenceExportNoRecords:
    'Zu {{email}} hat der Tracking-Server noch keine Datensätze. Es gibt nichts zu exportieren.',
  evidenceExportNotRecipient: '{{email}} ist kein Empfänger dieser E-Mail.',
  evidenceExportInvalid:
    'Die Datei des Tracking-Servers besteht die Prüfung nicht. Sie wurde nicht gespeichert; bitte den Administrator des Tracking-Servers informieren.',
  evidenceExportNotWritten: 'Der Nachweis konnte nicht in den Ordner „{{path}}“ geschrieben werden.',
  evidenceExportDialogTitle: 'Nachweis speichern',
  // ---- issue 20: the account's own tracking domain
  trackingDomainInvalid:
    'Bitte einen Hostnamen wie t.muster-immobilien.de eingeben – ohne https://, Port, Pfad oder IP-Adresse.',
  trackingDomainTaken: 'Diese Adresse verwendet bereits ein anderes Konto auf diesem Tracking-Server.',
  trackingDomainShared:
    'Das ist die gemeinsame Adresse des Tracking-Servers selbst. Bitte eine eigene Subdomain Ihrer Firma wählen.',
  trackingDomainNoCollector: 'Zuerst den Tracking-Server verbinden.',
  // ---- issue 20: the tracking domain's probe (DNS, TLS, /healthz of this collector)
  trackingDomainCheckDnsNotFound:
    'DNS: Der Name {{host}} wurde nicht gefunden. Bitte den DNS-Eintrag aus Schritt 1 anlegen – neue Einträge brauchen oft einige Minuten.',
  trackingDomainCheckDnsWrongTarget:
    'DNS: {{host}} zeigt nicht auf diesen Tracking-Server. Bitte den DNS-Eintrag aus Schritt 1 prüfen.',
  trackingDomainCheckPrivateAddress:
    'DNS: {{host}} zeigt auf eine interne Adresse (lokales Netz oder dieser Rechner). Eine Tracking-Domain muss für Ihre Interessenten im Internet erreichbar sein: bitte den DNS-Eintrag aus Schritt 1 auf die öffentliche Adresse des Tracking-Servers setzen.',
  trackingDomainCheckUnreachable:
    'Verbindung: Unter https://{{host}} antwortet kein Server. DNS-Eintrag und nginx (Schritt 3) prüfen.',
  trackingDomainCheckTlsExpired: 'TLS: Das Zertifikat für {{host}} ist abgelaufen. Bitte erneuern (Schritt 2).',
  trackingDomainCheckTlsWrongName:
    'TLS: Das Zertifikat gilt nicht für {{host}} (falscher Name). Bitte ein Zertifikat für {{host}} ausstellen (Schritt 2).',
  trackingDomainCheckTlsUntrusted:
    'TLS: Das Zertifikat für {{host}} ist ungültig (nicht von einer anerkannten Stelle ausgestellt).',
  trackingDomainCheckTlsFailed: 'TLS: Die verschlüsselte Verbindung zu {{host}} kam nicht zustande.',
  trackingDomainCheckNotThisCollector:
    'HTTP: Unter {{host}} antwortet ein Server, aber nicht als dieser Tracking-Server. Bitte die nginx-Konfiguration (Schritt 3) prüfen.',
  trackingDomainCheckFailed: 'Die Prüfung der Domain ist fehlgeschlagen.',

  // ---- issue 17: tracking consent per contact
  consentNeedsCollector:
    'Der Tracking-Modus eines Kontakts wird auf dem Tracking-Server gespeichert: bitte zuerst einen Tracking-Server einrichten.',
  consentNotSaved:
    'Der Tracking-Modus konnte nicht gespeichert werden. Bitte erneut versuchen, wenn der Tracking-Server erreichbar ist.',
  consentSettingsNotSaved: 'Die Tracking-Einstellungen konnten nicht gespeichert werden.',

  // ---- issue 17 part 2: retention, legal hold, access, erasure (an admin's privacy actions)
  privacyOnlyAdmin:
    'Nur ein Administrator kann Aufbewahrungssperren setzen, Auskünfte erstellen und Daten löschen.',
  privacyHeldNothingErased: 'Für {{email}} besteht eine Aufbewahrungssperre: nichts wurde gelöscht.',

  // ---- issue 12 review (m12): the XML validator's reasons and the import report's notes, as keys
  openimmoXmlWrongClosingTag:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das schließende Tag </{{found}}> passt nicht: erwartet wurde </{{expected}}> (geöffnet in Zeile {{openLine}}, Spalte {{openCol}}).',
  openimmoXmlClosingNotOpened:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das schließende Tag </{{tag}}> wurde nie geöffnet.',
  openimmoXmlClosingUnended:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Dem schließenden Tag </{{tag}}> fehlt das „>“.',
  openimmoXmlClosingAttributes:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das schließende Tag </{{tag}}> darf keine Attribute haben.',
  openimmoXmlUnclosedTag:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das Tag <{{tag}}> wird nie geschlossen (Datei abgeschnitten?).',
  openimmoXmlUnclosedTags:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Diese Tags werden nie geschlossen: {{tags}}.',
  openimmoXmlBadTagName:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: „{{name}}“ ist kein gültiger Tag-Name.',
  openimmoXmlSpaceAfterLt:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Nach „<“ darf kein Leerzeichen stehen.',
  openimmoXmlOpenQuote:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Ein Attributwert von <{{tag}}> hat kein schließendes Anführungszeichen.',
  openimmoXmlAttributeRepeated:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das Attribut „{{name}}“ steht doppelt.',
  openimmoXmlAttributeNoValue:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das Attribut „{{name}}“ hat keinen Wert.',
  openimmoXmlAttributeBoolean:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das Attribut „{{name}}“ hat keinen Wert (in XML nicht erlaubt).',
  openimmoXmlAttributeNoSpace:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Vor dem Attribut „{{name}}“ fehlt ein Leerzeichen.',
  openimmoXmlBadAttributeName:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: „{{name}}“ ist kein gültiger Attributname.',
  openimmoXmlBareAmpersand:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Ein „&“ steht ohne Entity (muss als „&amp;“ geschrieben werden).',
  openimmoXmlUnexpectedChar:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Das Zeichen „{{char}}“ ist hier nicht erlaubt.',
  openimmoXmlSeveralRoots:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Die Datei hat mehr als ein Wurzelelement.',
  openimmoXmlTextAfterRoot:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Nach dem Wurzelelement folgt noch Text.',
  openimmoXmlNoElement:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Die Datei enthält kein XML-Element (leer oder kein XML).',
  openimmoXmlLateDeclaration:
    'Die Datei ist kein gültiges XML. Zeile {{line}}, Spalte {{col}}: Die XML-Deklaration (<?xml …?>) darf nur ganz am Anfang stehen.',
  importNoteVersionUnknown: 'OpenImmo-Version {{version}} ist nicht 1.2.x; Import nach bestem Wissen.',
  importNotePropertyDeleted: 'Zum Löschen markiert (aktion DELETE), nicht importiert.',
  importNoteAttachmentGroupSkipped: 'Anhang „{{name}}“ der Gruppe {{group}} wird nicht übernommen.',
  importNoteLinkInvalid: 'Link ohne gültige Adresse übersprungen ({{url}}).',
  importNoteLinkLimit: 'Mehr als 20 Links: {{url}} nicht übernommen.',
  importNoteAttachmentNoFile: 'Anhang „{{name}}“ ohne Datei (daten/pfad) übersprungen.',
  importNoteFileMissing: 'Datei „{{file}}“ wurde nicht mitgegeben.',
  importNoteFileAmbiguous: 'Die Datei „{{file}}“ gibt es mehrfach ({{candidates}}); keine übernommen.',
  importNoteFileRejected: 'Datei „{{file}}“ abgelehnt ({{code}}).',
  importNoteDescriptionTruncated: 'Beschreibung auf {{max}} Zeichen gekürzt (hatte {{length}}).',
  importNoteEnergyValueInvalid: 'Energieausweis: Wert „{{value}}“ nicht lesbar, nicht übernommen.',
  importNoteEnergyIncomplete: 'Energieausweis unvollständig, für § 87 GEG fehlt: {{missing}}.',
  importNoteEnergyFromUnit: 'Der Energieausweis des Projekts wurde aus dieser Einheit übernommen.',
  importNoteUnitEnergyDiffers:
    'Der Energieausweis dieser Einheit weicht vom Projekt ab und wurde nicht übernommen.',
  importNoteExposeDuplicate: 'Zweites Exposé „{{name}}“ nicht übernommen (ein Objekt hat ein Exposé).',
  importNoteOther: 'Hinweis „{{key}}“.',
};
