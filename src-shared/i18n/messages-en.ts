import type { messagesDe } from './messages-de';

/** The core's messages in English: every key of messages-de.ts (checked by the type). */
export const messagesEn: Record<keyof typeof messagesDe, string> = {
  unknownOperation: 'Unknown operation.',
  invalidInput: 'Invalid input.',
  internalError: 'Internal error.',
  hostUnreachable: 'The connection to the app was lost.',
  accessDenied: 'Access denied.',
  hostRendererMissing: 'The user interface has not been built.',
  requestTooLarge: 'The request is too large.',
  badRequest: 'Invalid request.',
  activityNotFound: 'This activity does not exist (any more).',
  eventNotFound: 'This event is not known.',
  mailNotConfigured: 'Please set up an e-mail account first.',
  onlyAdminTracking: 'Only an administrator can switch tracking for the account.',
  localTestModeUnavailable: 'The local test mode is not available here.',

  collectorNotConfigured: 'Please set up a tracking server first.',
  collectorTokenMissing: "Please enter the tracking server's access key.",
  collectorUnreachable: 'The tracking server cannot be reached.',
  collectorUnauthorized:
    'The tracking server refused the access key. Please enter a valid key in the settings.',
  trackingDisabled:
    'Tracking is switched off for this account (Administration › System settings › Tracking).',
  collectorForbidden: 'You lack the permission for this (administrators only).',
  collectorBusy: 'The tracking server is overloaded right now.',
  collectorServerError: 'The tracking server reports an internal error.',
  collectorNotFound: 'The tracking server does not know what was asked for (any more).',
  collectorRejected: 'The tracking server refused the request (HTTP {{status}}).',
  collectorBadResponse: 'The tracking server gave an unexpected answer.',

  smtpAuthFailed:
    'Login to the SMTP server failed: user name or password is wrong. Please check them in the settings.',
  smtpAuthTemporary: 'The SMTP server cannot check the login right now (a temporary problem of the server).',
  smtpAuthRequired: 'The SMTP server requires a login. Please enter user name and password in the settings.',
  smtpTlsCertificate:
    "The SMTP server's certificate is not trusted. Please check server name and encryption.",
  smtpTlsFailed:
    'The encrypted connection to the SMTP server could not be set up (STARTTLS). Please check the encryption in the settings.',
  smtpTlsRequired:
    'The SMTP server requires an encrypted connection. Please choose STARTTLS or TLS in the settings.',
  smtpRelayDenied:
    'The SMTP server does not relay e-mail from this sender. Please check the sender address and the login.',
  smtpSenderRejected: 'The SMTP server refuses the sender address. Please check the sender address.',
  smtpMailboxUnavailable:
    "The mail server does not know the recipient's address or the mailbox is unavailable. Please check the address.",
  smtpMailboxFull: "The recipient's mailbox is full.",
  smtpMessageTooBig: 'The e-mail is too large for the server. Please make the attachments smaller.',
  smtpPolicyRejected: 'The server refused the e-mail by its rules (for example as unwanted advertising).',
  smtpRejected: 'The SMTP server refused the e-mail.',
  smtpServiceUnavailable: 'The SMTP server is not available right now (overloaded or in maintenance).',
  smtpTemporary: 'The SMTP server did not accept the e-mail for now.',
  smtpTimeout: 'The SMTP server does not answer (timeout).',
  smtpConnectionRefused:
    'The SMTP server {{host}} refuses connections on port {{port}}. Please check server name and port.',
  smtpHostNotFound:
    'The SMTP server “{{host}}” does not exist, or there is no internet connection. Please check the server name.',
  smtpUnreachable:
    'The SMTP server cannot be reached. Please check server name, port and internet connection.',
  smtpFailed: 'Sending through the SMTP server failed.',

  imapAuthFailed:
    'Login to the IMAP server failed: user name or password is wrong. Please check them in the settings.',
  imapTlsCertificate:
    "The IMAP server's certificate is not trusted. Please check server name and encryption.",
  imapTlsFailed:
    'The encrypted connection to the IMAP server could not be set up. Please check the encryption in the settings.',
  imapQuota: 'The mailbox is full: the copy could not be filed in the Sent folder.',
  imapNoPermission: 'The IMAP server does not allow writing to the Sent folder.',
  imapFolderMissing: 'The Sent folder was not found on the IMAP server.',
  imapTimeout: 'The IMAP server does not answer (timeout).',
  imapConnectionRefused:
    'The IMAP server {{host}} refuses connections on port {{port}}. Please check server name and port.',
  imapHostNotFound:
    'The IMAP server “{{host}}” does not exist, or there is no internet connection. Please check the server name.',
  imapUnreachable:
    'The IMAP server cannot be reached. Please check server name, port and internet connection.',
  imapFailed: 'The IMAP server refused the request.',
  messageInvalid: 'The message could not be built.',

  testSmtpOk: 'Connected to the SMTP server {{host}}, login successful.',
  testSmtpNoAuth:
    'Connected to the SMTP server {{host}}. The server does not ask for a login – the password was not checked.',
  testSmtpNoUser: 'Connected to the SMTP server {{host}}. Without a user name no login was tried.',
  testImapFolder: 'IMAP login successful. Sent e-mails are filed in “{{folder}}”.',
  testImapNoFolder: 'IMAP login successful. A “Sent” folder is created with the first e-mail.',

  outboxInterrupted:
    'Sending was interrupted. It is unclear whether the e-mail reached the mail server – please decide: send again, mark as sent or discard.',
  outboxInternalError: 'Internal error while sending.',
  outboxNoCollector: 'No tracking server set up. Send without tracking or enter a tracking server.',
  outboxNoMailAccount: 'No e-mail account set up.',
  outboxOfferNeedsTracking:
    'Tracking is switched off for the account. An offer needs its landing page on the tracking server and was therefore not sent.',
  outboxOfferLandingMissing: 'The address of the offer page is missing for {{email}}.',
  outboxOffersUnsupported: 'Offers are not supported here.',
  outboxNotDelivered: 'Not delivered to {{who}}.',
  outboxRecipientRefused: "The mail server refused the recipient's address.",
  outboxNotFiled: 'The copy could not be filed in the Sent folder.',
  outboxNotFound: 'There is nothing left to send for this activity.',
  outboxAlreadyFiled: 'This e-mail has already been sent and filed.',
  outboxSendingNow: 'This e-mail is being sent right now.',
  outboxBusy: 'This e-mail is being worked on. Please try again in a moment.',
  outboxNothingToFile: 'This e-mail is not waiting to be filed in the Sent folder.',
  outboxFileOnly: 'This e-mail has already been sent; only filing it in the Sent folder is missing.',
  offerNeedsTrackingResolve:
    'An offer cannot be sent without tracking: every offer page lives on the tracking server. Try again or discard.',
  legacyText: '{{text}}',

  propertyNotFound: 'This property does not exist (any more).',
  fileNotFound: 'This file does not exist (any more).',
  fileEmpty: '“{{name}}” is empty.',
  fileTypeUnsupported: '“{{name}}” is neither JPEG, PNG, WebP nor PDF.',
  fileNotImage: '“{{name}}” is not an image (JPEG, PNG or WebP).',
  fileNotPdf: '“{{name}}” is not a PDF; documents and the exposé must be PDF.',
  fileTooLarge: '“{{name}}” is too large (at most {{mb}} MB).',
  externalIdTaken: 'The property number “{{id}}” already belongs to another property.',
  unitIdsDuplicate: 'Two units have the same identifier.',
  importFileNotGiven: 'File “{{file}}” was not handed over.',
  openimmoNoTitle: 'A property has no title (objekttitel, at {{path}}).',
  openimmoTooManyAttachments: 'Too many attachments ({{count}}, at most {{max}}; at {{path}}).',
  openimmoLinkSkipped: 'Link without a valid address skipped.',
  openimmoAttachmentNoFile: 'Attachment without a file (daten/pfad) skipped.',
  openimmoTooLarge: 'The OpenImmo file is too large (at most 10 MB without attachments).',
  openimmoDoctype: 'The file contains a DOCTYPE declaration; OpenImmo needs none, refused for security.',
  openimmoInvalidXml: 'The file is not valid XML ({{path}}).',
  openimmoInvalidXmlReason: 'The file is not valid XML. Line {{line}}, column {{col}}: {{reasonRaw}}',
  passwordNeededForServer:
    'Please enter the password for the {{server}} server. A stored password only applies to the server, port, user and encryption it was entered for.',
  collectorUrlNotAllowed:
    'The tracking server address must start with https:// (http:// only for this computer, e.g. http://127.0.0.1:8080).',
  zipUnsafePath:
    'The ZIP archive contains a forbidden file name (“{{name}}”: absolute path or “..”). For security it is not imported.',
  zipGrewBeyond:
    'The file “{{name}}” in the ZIP archive unpacks larger than declared (zip bomb?). The archive is not imported.',
  zipUnreadable: 'The file is not a readable ZIP archive (damaged or incomplete).',
  zipTooLarge: 'The ZIP archive is too large ({{size}}, at most {{max}}).',
  zipTooManyEntries: 'The ZIP archive has {{count}} entries; at most {{max}} are allowed.',
  zipEncrypted: '“{{name}}” in the ZIP archive is encrypted; please export without a password.',
  zipEntryTooLarge: '“{{name}}” in the ZIP archive unpacks to {{size}}; at most {{max}} per file.',
  zipBombRatio:
    '“{{name}}” in the ZIP archive would unpack to {{ratio}} times its size (zip bomb?). The archive is not imported.',
  zipTotalTooLarge: 'The ZIP archive unpacks to more than {{max}}.',
  zipNoXml: 'The ZIP archive contains no OpenImmo XML file.',
  zipSeveralXml:
    'The ZIP archive contains several XML files ({{names}}); please import one archive per export.',
  importTimeout: 'The import took longer than {{seconds}} s and was stopped.',
  importFailed: 'The import stopped unexpectedly.',
  onlyAdminAccountSetting: 'Only an administrator can change this account setting.',
  outboxConfirmationElsewhere:
    'Another device sends this confirmation (or has sent it already); it was not sent again from here.',
  contactNotFound: 'This contact does not exist.',
  onlyAdminLockStatuses: 'Only administrators can choose which statuses lock the landing pages.',
  lockSettingsNotSaved: 'The setting was not saved.',
  outboxConfirmationWaitsForCollector:
    'The tracking server cannot be reached; the confirmation is sent as soon as it answers.',
  draftNotFound: 'This draft no longer exists.',
  openimmoInvalidXmlAt: 'The file is not valid XML (line {{line}}, column {{col}}).',
  openimmoNotOpenimmo: 'This is not an OpenImmo file (root element openimmo missing).',
  openimmoVersion: 'OpenImmo version {{version}} is not 1.2.x; imported as well as possible.',
  openimmoNoProvider: 'The file contains no provider (anbieter).',
  openimmoDeleteSkipped: 'Marked for deletion (aktion DELETE), not imported.',
  openimmoNoProperty: 'The file contains no property (immobilie).',
  openimmoTooMany: 'Too many properties ({{count}}, at most {{max}}).',

  legalTemplateMissing: 'The template of the cancellation policy is missing from the installation.',
  legalNotWiderruf: 'The text must be a cancellation policy (the word “Widerruf” is missing).',

  offerNotFound: 'This offer does not exist (any more).',
  offerTrackingDisabled:
    'Tracking is switched off for the account (Administration › System settings › Tracking). An offer needs its landing page on the tracking server and cannot be sent. Send the exposé as a normal e-mail.',
  offerPlaceholdersOpen:
    'The cancellation policy still lacks: {{list}}. Please fill them in under Properties › Cancellation policy.',
  offerFileMissing: 'The file “{{name}}” is missing from the data folder.',
  offerTwoExposes: 'An offer can have only one exposé.',
  offerTooLarge: "The property's files are too large together (at most {{mb}} MB).",
  offerInvalid: 'The property cannot be published like this: {{issues}}',
  offerNotPublished: 'The offer is not yet published on the tracking server (that happens when it is sent).',
  offerNotRegistered: 'The offer is not registered with the tracking server.',
  offerStatusUnreachable:
    "The tracking server cannot be reached. The offer's status was not changed. Please try again later.",
  offerStatusBusy:
    "The tracking server is overloaded or reports an error. The offer's status was not changed. Please try again later.",
  offerEvidenceUnreachable:
    'The tracking server cannot be reached. The evidence lives only there and cannot be loaded right now. Please try again later.',
  offerEvidenceBusy:
    'The tracking server is overloaded or reports an error. The evidence lives only there and cannot be loaded right now. Please try again later.',
  offerEvidenceKeptUnreachable:
    'The tracking server cannot be reached. Shown is the evidence as it last delivered it.',
  offerEvidenceKeptBusy:
    'The tracking server is overloaded or reports an error. Shown is the evidence as it last delivered it.',
  offerUnknownOnCollector:
    'The tracking server does not know this offer under your access (for example after changing the tracking server or the access).',

  feedApplePrefetch: 'delivered to Apple Mail – opening cannot be determined',

  // ---- application menu (i12s; src-main/shell/menu-template.ts)
  menuAbout: 'About Blitz',
  menuHide: 'Hide Blitz',
  menuHideOthers: 'Hide Others',
  menuShowAll: 'Show All',
  menuQuitBlitz: 'Quit Blitz',
  menuFile: 'File',
  menuCloseWindow: 'Close Window',
  menuQuit: 'Quit',
  menuEdit: 'Edit',
  menuUndo: 'Undo',
  menuRedo: 'Redo',
  menuCut: 'Cut',
  menuCopy: 'Copy',
  menuPaste: 'Paste',
  menuSelectAll: 'Select All',
  menuView: 'View',
  menuReload: 'Reload',
  menuDevTools: 'Developer Tools',
  menuResetZoom: 'Actual Size',
  menuZoomIn: 'Zoom In',
  menuZoomOut: 'Zoom Out',
  menuFullscreen: 'Full Screen',
  menuWindow: 'Window',
  menuMinimize: 'Minimize',
  menuZoom: 'Zoom',
  draftFileMissing: 'An attachment of this draft is no longer there.',
  menuHelp: 'Help',

  // ---- issue 19: mailbox signals (replies, bounces, out-of-office from the INBOX)
  mailboxBounceUnknownUser:
    "The address does not exist at the recipient's provider (a typo, or the mailbox was deleted).",
  mailboxBounceUnknownDomain: 'The domain of the address does not exist or accepts no e-mail.',
  mailboxBounceMailboxFull: "The recipient's mailbox is full.",
  mailboxBounceDisabled: "The recipient's mailbox is blocked or disabled.",
  mailboxBounceTooLarge:
    "The e-mail was too large for the recipient's server (make the attachments smaller).",
  mailboxBounceRejected: "The recipient's server refused the e-mail (a policy or a spam filter).",
  mailboxBounceTemporary: "The recipient's server could not take the e-mail for a while and gave up.",
  mailboxBounceOther: "The recipient's server refused the delivery.",
  consentNeedsCollector:
    "A contact's tracking mode is stored on the tracking server: please set up a tracking server first.",
  consentNotSaved:
    'The tracking mode could not be saved. Please try again when the tracking server is reachable.',
  consentSettingsNotSaved: 'The tracking settings could not be saved.',
  mailboxBounceNoStatus: "The recipient's server refused the delivery without giving a reason.",

  // ---- issue 16 desktop: "Export evidence"
  evidenceExportUnreachable:
    'The tracking server cannot be reached. The evidence lives only there and cannot be exported right now. Please try again later.',
  evidenceExportBusy:
    'The tracking server is overloaded or reports an error. The evidence was not exported. Please try again in a minute.',
  evidenceExportUnknownOffer:
    'The tracking server does not know this offer under your access. The evidence was not exported.',
  evidenceExportNoRecords:
    'The tracking server has no records about {{email}} yet. There is nothing to export.',
  evidenceExportNotRecipient: '{{email}} is not a recipient of this e-mail.',
  evidenceExportInvalid:
    "The tracking server's file fails the check. It was not saved; please tell the tracking server's administrator.",
  evidenceExportNotWritten: 'The evidence could not be written to the folder "{{path}}".',
  evidenceExportDialogTitle: 'Save evidence',
  // ---- issue 20: the account's own tracking domain
  trackingDomainInvalid:
    'Please enter a host name such as t.muster-immobilien.de – without https://, port, path or IP address.',
  trackingDomainTaken: 'Another account on this tracking server already uses this address.',
  trackingDomainShared:
    "That is the tracking server's own shared address. Please choose a subdomain of your company's own.",
  trackingDomainNoCollector: 'Connect the tracking server first.',
  // ---- issue 20: the tracking domain's probe (DNS, TLS, /healthz of this collector)
  trackingDomainCheckDnsNotFound:
    'DNS: the name {{host}} was not found. Please create the DNS record from step 1 – new records often take a few minutes.',
  trackingDomainCheckDnsWrongTarget:
    'DNS: {{host}} does not point to this tracking server. Please check the DNS record from step 1.',
  trackingDomainCheckPrivateAddress:
    'DNS: {{host}} points to an internal address (local network or this machine). A tracking domain must be reachable for your prospects on the internet: set the DNS record of step 1 to the tracking server\'s public address.',
  trackingDomainCheckUnreachable:
    'Connection: no server answers at https://{{host}}. Check the DNS record and nginx (step 3).',
  trackingDomainCheckTlsExpired: 'TLS: the certificate for {{host}} has expired. Please renew it (step 2).',
  trackingDomainCheckTlsWrongName:
    'TLS: the certificate is not valid for {{host}} (wrong name). Please issue a certificate for {{host}} (step 2).',
  trackingDomainCheckTlsUntrusted:
    'TLS: the certificate for {{host}} is invalid (not issued by a recognised authority).',
  trackingDomainCheckTlsFailed: 'TLS: the encrypted connection to {{host}} could not be made.',
  trackingDomainCheckNotThisCollector:
    'HTTP: a server answers at {{host}}, but not as this tracking server. Please check the nginx configuration (step 3).',
  trackingDomainCheckFailed: 'The check of the domain failed.',
  // ---- issue 17 part 2: retention, legal hold, access, erasure (an admin's privacy actions)
  privacyOnlyAdmin: 'Only an administrator can set legal holds, export and erase personal data.',
  privacyHeldNothingErased: '{{email}} is under a legal hold: nothing was erased.',
  // ---- issue 12 review (m12): the XML validator's reasons and the import report's notes, as keys
  openimmoXmlWrongClosingTag:
    'The file is not valid XML. Line {{line}}, column {{col}}: the closing tag </{{found}}> does not match: expected </{{expected}}> (opened in line {{openLine}}, column {{openCol}}).',
  openimmoXmlClosingNotOpened:
    'The file is not valid XML. Line {{line}}, column {{col}}: the closing tag </{{tag}}> was never opened.',
  openimmoXmlClosingUnended:
    'The file is not valid XML. Line {{line}}, column {{col}}: the closing tag </{{tag}}> lacks its “>”.',
  openimmoXmlClosingAttributes:
    'The file is not valid XML. Line {{line}}, column {{col}}: the closing tag </{{tag}}> must not have attributes.',
  openimmoXmlUnclosedTag:
    'The file is not valid XML. Line {{line}}, column {{col}}: the tag <{{tag}}> is never closed (file cut off?).',
  openimmoXmlUnclosedTags:
    'The file is not valid XML. Line {{line}}, column {{col}}: these tags are never closed: {{tags}}.',
  openimmoXmlBadTagName:
    'The file is not valid XML. Line {{line}}, column {{col}}: “{{name}}” is not a valid tag name.',
  openimmoXmlSpaceAfterLt:
    'The file is not valid XML. Line {{line}}, column {{col}}: no space is allowed after “<”.',
  openimmoXmlOpenQuote:
    'The file is not valid XML. Line {{line}}, column {{col}}: an attribute value of <{{tag}}> has no closing quote.',
  openimmoXmlAttributeRepeated:
    'The file is not valid XML. Line {{line}}, column {{col}}: the attribute “{{name}}” appears twice.',
  openimmoXmlAttributeNoValue:
    'The file is not valid XML. Line {{line}}, column {{col}}: the attribute “{{name}}” has no value.',
  openimmoXmlAttributeBoolean:
    'The file is not valid XML. Line {{line}}, column {{col}}: the attribute “{{name}}” has no value (not allowed in XML).',
  openimmoXmlAttributeNoSpace:
    'The file is not valid XML. Line {{line}}, column {{col}}: a space is missing before the attribute “{{name}}”.',
  openimmoXmlBadAttributeName:
    'The file is not valid XML. Line {{line}}, column {{col}}: “{{name}}” is not a valid attribute name.',
  openimmoXmlBareAmpersand:
    'The file is not valid XML. Line {{line}}, column {{col}}: an “&” stands without an entity (write it as “&amp;”).',
  openimmoXmlUnexpectedChar:
    'The file is not valid XML. Line {{line}}, column {{col}}: the character “{{char}}” is not allowed here.',
  openimmoXmlSeveralRoots:
    'The file is not valid XML. Line {{line}}, column {{col}}: the file has more than one root element.',
  openimmoXmlTextAfterRoot:
    'The file is not valid XML. Line {{line}}, column {{col}}: text follows the root element.',
  openimmoXmlNoElement:
    'The file is not valid XML. Line {{line}}, column {{col}}: the file contains no XML element (empty or not XML).',
  openimmoXmlLateDeclaration:
    'The file is not valid XML. Line {{line}}, column {{col}}: the XML declaration (<?xml …?>) may only stand at the very beginning.',
  importNoteVersionUnknown: 'OpenImmo version {{version}} is not 1.2.x; imported as well as possible.',
  importNotePropertyDeleted: 'Marked for deletion (aktion DELETE), not imported.',
  importNoteAttachmentGroupSkipped: 'Attachment “{{name}}” of group {{group}} is not taken over.',
  importNoteLinkInvalid: 'Link without a valid address skipped ({{url}}).',
  importNoteLinkLimit: 'More than 20 links: {{url}} not taken over.',
  importNoteAttachmentNoFile: 'Attachment “{{name}}” without a file (daten/pfad) skipped.',
  importNoteFileMissing: 'The file “{{file}}” was not supplied.',
  importNoteFileAmbiguous: 'The file “{{file}}” exists more than once ({{candidates}}); none taken over.',
  importNoteFileRejected: 'File “{{file}}” refused ({{code}}).',
  importNoteDescriptionTruncated: 'Description shortened to {{max}} characters (had {{length}}).',
  importNoteEnergyValueInvalid: 'Energy certificate: value “{{value}}” unreadable, not taken over.',
  importNoteEnergyIncomplete: 'Energy certificate incomplete, § 87 GEG still needs: {{missingEn}}.',
  importNoteEnergyFromUnit: 'The project’s energy certificate was taken from this unit.',
  importNoteUnitEnergyDiffers:
    'This unit’s energy certificate differs from the project’s and was not taken over.',
  importNoteExposeDuplicate: 'Second exposé “{{name}}” not taken over (a property has one exposé).',
  importNoteOther: 'Note “{{key}}”.',
};
