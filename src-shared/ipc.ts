import { z } from 'zod';
import { TrackingDomain } from './tracking-domain';
import { ConsentMode, ConsentSettings, ContactConsent } from './consent';
import { ProspectLanguageSchema } from './prospect-language';
import {
  ContactKind,
  LANDING_LOCK_STATUSES,
  OfferEvidence,
  OfferLink,
  OfferStatus,
  OfferUnit,
  PropertyMarketStatus,
  Role,
} from './api';
import { draftOperations } from './drafts';
import { EventType, Verdict } from './events';
import { evidenceOperations } from './evidence-export';
import { longTextOperations } from './long-text';
import { privacyOperations } from './ipc-privacy';
import { EnergyCertificate } from './energy';
import { Message } from './messages';
import { OutboxErrorDto } from './outbox-error';

/**
 * The one contract between the renderer and the core. Every operation has an argument schema
 * (validated in the core's handler table, whichever adapter — Electron IPC or the browser host —
 * delivered it) and a result type. Results travel as Result<T> (src-shared/result.ts).
 */

// ---------- shared shapes ----------
export const ContactDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  /** issue 17: the contact's own tracking mode and consent as synced (absent: none stored) */
  consent: z.object({ mode: ConsentMode.nullable(), state: ContactConsent.shape.state }).optional(),
});
export type ContactDto = z.infer<typeof ContactDto>;

export const OutboxState = z.enum([
  'queued', // persisted, nothing done yet
  'registered', // trackers obtained from the collector
  'sending', // an SMTP transaction may be in flight
  'sent', // every SMTP transaction accepted; filing the clean copy in Sent is next (or retried)
  'filed', // clean copy appended to the Sent folder: done
  'not_filed', // sent, but the copy could not be filed in Sent: the agent retries the filing alone
  'waiting_collector', // collector unreachable, retrying (or the agent sends untracked)
  'retrying', // transient SMTP/IMAP failure, retry scheduled
  'failed', // permanent failure, server message kept
  'uncertain', // interrupted at an unknown point of a send: the agent decides
  'published', // offers only: the offer is on the collector, landing URLs known (after registered)
]);
export type OutboxState = z.infer<typeof OutboxState>;

export { OutboxErrorDto } from './outbox-error';

export const ActivityRecipientDto = z.object({
  email: z.string(),
  name: z.string().nullable(),
  kind: z.enum(['to', 'cc', 'bcc']),
});
export const ActivityDto = z.object({
  id: z.string(),
  kind: z.enum(['email', 'offer']),
  subject: z.string(),
  recipients: z.array(ActivityRecipientDto),
  sentAt: z.string().nullable(),
  tracked: z.boolean(),
  sentIndividually: z.boolean(),
  outboxState: OutboxState.nullable(),
  outboxError: OutboxErrorDto.nullable(),
  /** when the outbox tries again by itself (ISO); null: it waits for the agent or is done */
  outboxRetryAt: z.string().nullable(),
  eventCount: z.number().int(),
  newEventCount: z.number().int(),
  lastEventAt: z.string().nullable(),
  /** sent from another desktop of the same agent: known from the collector only */
  fromOtherDevice: z.boolean(),
});
export type ActivityDto = z.infer<typeof ActivityDto>;

export const ActivityFilterInput = z.enum(['all', 'tracked', 'with_events', 'unseen', 'pending']);

export const ActivityPageDto = z.object({
  /**
   * how many activities the search and filter find in all; null when asked with `countLater` and
   * counting needs more than the window read (then `activities.count` answers it)
   */
  total: z.number().int().nullable(),
  offset: z.number().int(),
  items: z.array(ActivityDto),
  /**
   * activities with unseen events, whatever the filter (the navigation's badge); null during a
   * search unless `withUnseen` asked for it
   */
  unseen: z.number().int().nullable(),
});
export type ActivityPageDto = z.infer<typeof ActivityPageDto>;

export const FeedItemDto = z.object({
  eventId: z.string(),
  type: EventType,
  occurredAt: z.string(),
  /** the recipient's display name, or null for a shared tracker („Jemand“) */
  personName: z.string().nullable(),
  recipientEmail: z.string().nullable(),
  detail: z.object({
    url: z.string().optional(),
    document: z.string().optional(),
    unit: z.string().optional(),
    /** legal confirmations: which one (cancellation_policy_read, early_start, commission_notice) */
    confirmation: z.string().optional(),
    /** the hidden control link: followed by a machine, never by the person */
    honeypot: z.boolean().optional(),
  }),
  verdict: Verdict,
  reasons: z.array(z.string()),
  corrected: z.boolean(),
  isNew: z.boolean(),
  /** issue 21: a person's verdict still being checked (a later hit could overturn it) */
  checking: z.boolean().optional(),
  /**
   * issue 19, mail.* events: what this computer read in the INBOX (never sent to the collector);
   * for a bounce the reason in words and the raw status behind „Details“
   */
  mail: z
    .object({
      fromName: z.string().optional(),
      fromEmail: z.string().optional(),
      subject: z.string().optional(),
      firstLine: z.string().optional(),
      status: z.string().optional(),
      diagnostic: z.string().optional(),
      reason: Message.optional(),
    })
    .optional(),
});
export type FeedItemDto = z.infer<typeof FeedItemDto>;

export const FeedDto = z.object({
  activityId: z.string(),
  items: z.array(FeedItemDto),
  /** e.g. „zugestellt an Apple Mail – Öffnen nicht feststellbar“ */
  summary: Message.nullable(),
  /** issue 19: recipients a bounce reported as not delivered */
  undelivered: z.array(z.string()).optional(),
});
export type FeedDto = z.infer<typeof FeedDto>;

export const NotificationPrefs = z.object({
  enabled: z.boolean(),
  types: z.record(EventType, z.boolean()),
  sound: z.boolean(),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

export const MailAccountInput = z
  .object({
    fromName: z.string().max(200),
    fromEmail: z.email(),
    smtp: z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(['tls', 'starttls', 'none']),
      user: z.string(),
      /** omitted = keep the stored one */
      password: z.string().optional(),
    }),
    imap: z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(['tls', 'starttls', 'none']),
      user: z.string(),
      password: z.string().optional(),
      /** optional override of the Sent folder path */
      sentFolder: z.string().optional(),
    }),
  })
  .strict();
export type MailAccountInput = z.infer<typeof MailAccountInput>;

export const CollectorInput = z.object({ url: z.url(), token: z.string().min(1).optional() }).strict();
export type CollectorInput = z.infer<typeof CollectorInput>;

export const SettingsDto = z.object({
  mailAccount: MailAccountInput.omit({ smtp: true, imap: true })
    .extend({
      smtp: MailAccountInput.shape.smtp.omit({ password: true }).extend({ hasPassword: z.boolean() }),
      imap: MailAccountInput.shape.imap.omit({ password: true }).extend({ hasPassword: z.boolean() }),
    })
    .nullable(),
  collector: z
    .object({
      url: z.string(),
      hasToken: z.boolean(),
      user: z.object({ name: z.string(), email: z.string(), role: Role }).nullable(),
    })
    .nullable(),
  /** mirror of the account switch Verwaltung › Systemeinstellungen › Trackings */
  trackingEnabled: z.boolean(),
  /** issue 21: mirror of the account option „Büro teilt sein Netz mit Interessenten“ */
  sharesNetworkWithProspects: z.boolean().optional(),
  /** issue 17: the account's consent default and analytics switches as last read (null: not known yet) */
  consent: ConsentSettings.nullable().optional(),
  notifications: NotificationPrefs,
  language: z.enum(['de', 'en']),
  localTestMode: z.boolean(),
  /** false when secrets are stored unencrypted (file store, or Linux without a keyring) */
  secretsEncrypted: z.boolean(),
  /** issue 20: the account's own tracking domain (null: links use the collector's address) */
  trackingDomain: TrackingDomain.nullable().optional(),
  /** issue 19: replies, bounces and out-of-office answers read from the account's INBOX */
  mailboxSignals: z
    .object({
      enabled: z.boolean(),
      folder: z.string(),
      lastScanAt: z.string().nullable(),
      error: Message.nullable(),
    })
    .optional(),
});
export type SettingsDto = z.infer<typeof SettingsDto>;

export const StatusDto = z.object({
  configured: z.boolean(),
  /** null: not known yet (the first pull has neither answered nor failed) */
  collectorReachable: z.boolean().nullable(),
  lastSyncAt: z.string().nullable(),
  syncing: z.boolean(),
  /** while a pull runs: events applied so far and, if the collector says, an estimate of the rest */
  syncProgress: z
    .object({
      events: z.number().int().min(0),
      remaining: z.number().int().min(0).nullable(),
      etaSeconds: z.number().int().min(0).nullable(),
    })
    .nullable()
    .optional(),
  outboxPending: z.number().int(),
});
export type StatusDto = z.infer<typeof StatusDto>;

export const AttachmentInput = z.object({
  filename: z.string().min(1).max(255),
  contentType: z.string().max(255),
  /** base64 content; the renderer reads files itself */
  contentBase64: z.string().max(35_000_000),
});

export const ComposeInput = z
  .object({
    to: z.array(z.email()).default([]),
    cc: z.array(z.email()).default([]),
    bcc: z.array(z.email()).default([]),
    subject: z.string().max(1000),
    html: z.string().max(20_000_000).optional(),
    text: z.string().max(20_000_000).optional(),
    attachments: z.array(AttachmentInput).max(50).default([]),
    /** „E-Mail tracken“; ignored (off) when the account switch is off */
    track: z.boolean(),
    /** „Einzeln versenden“ */
    sendIndividually: z.boolean(),
    /**
     * Display names the agent picked or typed („Anna Beispiel <anna@…>“), keyed by e-mail address;
     * they name the person in the Blitz feed. Optional: unknown names fall back to the contacts.
     */
    recipientNames: z.record(z.string(), z.string().max(200)).optional(),
    /** the language of Blitz's notes under each copy (tracking, consent); the body is the agent's */
    prospectLanguage: ProspectLanguageSchema.default('de'),
  })
  .strict()
  .refine((c) => c.to.length + c.cc.length + c.bcc.length > 0, { message: 'at least one recipient' });
export type ComposeInput = z.infer<typeof ComposeInput>;

export const TestConnectionResult = z.object({
  smtp: z.object({
    ok: z.boolean(),
    /** checked: the password was tried; not_offered: the server has no AUTH; no_user: none given */
    login: z.enum(['checked', 'not_offered', 'no_user']).nullable(),
    message: Message,
    detail: z.string().nullable(),
  }),
  imap: z.object({
    ok: z.boolean(),
    message: Message,
    detail: z.string().nullable(),
    sentFolder: z.string().nullable(),
  }),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;

// ---------- properties (Objekte) and offers ----------
export const PropertyFileRole = z.enum(['image', 'floor_plan', 'document', 'expose']);
export type PropertyFileRole = z.infer<typeof PropertyFileRole>;
/** what the collector's landing page can show: images and PDFs */
export const PropertyFileType = z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
export type PropertyFileType = z.infer<typeof PropertyFileType>;

export const PropertyFileDto = z.object({
  id: z.string(),
  role: PropertyFileRole,
  name: z.string(),
  contentType: PropertyFileType,
  size: z.number().int(),
  sha256: z.string(),
});
export type PropertyFileDto = z.infer<typeof PropertyFileDto>;

const optionalNumber = z.number().nonnegative().max(1e11).nullable().default(null);
export const PropertyInput = z
  .object({
    /** absent: a new property */
    id: z.string().max(100).optional(),
    kind: z.enum(['single', 'project']).default('single'),
    /** OpenImmo objektnr_extern, so a second import updates instead of duplicating */
    externalId: z.string().max(100).nullable().default(null),
    title: z.string().trim().min(1).max(200),
    street: z.string().max(200).default(''),
    houseNumber: z.string().max(20).default(''),
    postalCode: z.string().max(10).default(''),
    city: z.string().max(100).default(''),
    /** EUR */
    price: optionalNumber,
    /** m² Wohnfläche */
    area: optionalNumber,
    rooms: optionalNumber,
    description: z.string().max(20_000).default(''),
    links: z.array(OfferLink).max(20).default([]),
    units: z.array(OfferUnit).max(500).default([]),
    commissionNotice: z.string().max(5000).nullable().default(null),
    /** § 87 GEG; null: not entered yet (the landing page then says none is available yet) */
    energy: EnergyCertificate.nullable().default(null),
  })
  .strict();
export type PropertyInput = z.input<typeof PropertyInput>;

export const PropertyDto = z.object({
  id: z.string(),
  kind: z.enum(['single', 'project']),
  externalId: z.string().nullable(),
  title: z.string(),
  street: z.string(),
  houseNumber: z.string(),
  postalCode: z.string(),
  city: z.string(),
  price: z.number().nullable(),
  area: z.number().nullable(),
  rooms: z.number().nullable(),
  description: z.string(),
  links: z.array(OfferLink),
  units: z.array(OfferUnit),
  commissionNotice: z.string().nullable(),
  energy: EnergyCertificate.nullable(),
  files: z.array(PropertyFileDto),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PropertyDto = z.infer<typeof PropertyDto>;

export const PropertyFileInput = z
  .object({
    propertyId: z.string(),
    role: PropertyFileRole,
    name: z.string().min(1).max(255),
    contentType: PropertyFileType,
    contentBase64: z.string().max(30_000_000),
  })
  .strict();

/** a portal's ZIP (XML + attachments) is read by the core; base64 of at most 100 MB */
export const OPENIMMO_ZIP_BYTES_MAX = 100 * 1024 * 1024;
export const OpenImmoImportInput = z
  .object({
    /** the OpenImmo XML, or */
    xml: z.string().min(1).max(10_000_000).optional(),
    /** the whole archive a portal or CRM exports (XML + attachments) */
    zipBase64: z
      .string()
      .min(1)
      .max(Math.ceil(OPENIMMO_ZIP_BYTES_MAX / 3) * 4)
      .optional(),
    /** the chosen file's name, for the report */
    fileName: z.string().max(255).optional(),
    /** the attachments chosen next to the XML, by their file name in <pfad> */
    files: z
      .array(
        z.object({ name: z.string().min(1).max(255), contentBase64: z.string().max(30_000_000) }).strict(),
      )
      .max(200)
      .default([]),
  })
  .strict()
  .refine((x) => (x.xml === undefined) !== (x.zipBase64 === undefined), {
    message: 'either xml or zipBase64',
  });

/** a note of the import report: a message key under `importReport.notes` with its parameters */
export const ImportNote = z.object({
  key: z.string(),
  /** where: the element path in the document or the archive entry */
  path: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ImportNote = z.infer<typeof ImportNote>;

export const ImportReport = z.object({
  source: z.object({
    kind: z.enum(['xml', 'zip']),
    name: z.string(),
    bytes: z.number().int(),
    /** archive entries (zip) or chosen files besides the XML */
    entries: z.number().int(),
  }),
  imported: z.array(
    z.object({
      propertyId: z.string(),
      title: z.string(),
      externalId: z.string().nullable(),
      kind: z.enum(['single', 'project']),
      /** an earlier import of the same objektnr_extern was updated */
      updated: z.boolean(),
      units: z.array(z.object({ number: z.string(), title: z.string().optional() })),
      files: z.array(z.object({ role: PropertyFileRole, name: z.string() })),
      links: z.number().int(),
      energy: z.enum(['available', 'pending', 'not_required', 'none']),
      commissionNotice: z.boolean(),
    }),
  ),
  /** every element and attribute of the document Blitz did not take over, by generic path */
  notImported: z.array(z.object({ path: z.string(), count: z.number().int(), example: z.string() })),
  warnings: z.array(ImportNote),
  /** archive entries or chosen files no <anhang> named */
  unusedFiles: z.array(z.string()),
  /** the parse's own time, off the event loop */
  parseMs: z.number(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const OpenImmoImportResult = z.object({
  properties: z.array(PropertyDto),
  /** report.warnings as message keys with parameters (src-shared/import-notes.ts), in the same order */
  warnings: z.array(Message),
  report: ImportReport,
});

export const AgentProfile = z
  .object({
    company: z.string().max(200).default(''),
    /** postal address for the Widerrufsbelehrung: „Straße Nr, PLZ Ort“ */
    address: z.string().max(300).default(''),
    phone: z.string().max(50).default(''),
    /** default commission notice (Provisionshinweis) of offers */
    commissionNotice: z.string().max(5000).default(''),
  })
  .strict();
export type AgentProfile = z.infer<typeof AgentProfile>;

export const LegalDto = z.object({
  /** the current Widerrufsbelehrung (with its placeholders, as the agent edits it) */
  current: z.object({
    version: z.number().int(),
    label: z.string(),
    text: z.string(),
    createdAt: z.string(),
  }),
  versions: z.array(z.object({ version: z.number().int(), label: z.string(), createdAt: z.string() })),
  profile: AgentProfile,
  /** placeholders still open in the current text, e.g. „[Name des Maklers]“ */
  missing: z.array(z.string()),
});
export type LegalDto = z.infer<typeof LegalDto>;

export const OfferSendInput = z
  .object({
    propertyId: z.string(),
    recipients: z
      .array(z.object({ email: z.email(), name: z.string().max(200).nullable().default(null) }).strict())
      .min(1)
      .max(50),
    subject: z.string().max(1000).optional(),
    /** the agent's words above the offer */
    intro: z.string().max(5000).default(''),
    /** the landing page asks for the legal confirmations before downloads */
    legalForm: z.boolean().default(true),
    /** the language of the mail's own words (greeting, button, figures, notes); the intro is the agent's */
    prospectLanguage: ProspectLanguageSchema.default('de'),
  })
  .strict();
export type OfferSendInput = z.input<typeof OfferSendInput>;

export const OfferPreviewDto = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  policyLabel: z.string(),
  attachmentName: z.string(),
  /** why it cannot be sent now (tracking off, no collector, open placeholders …), empty = ready */
  blockers: z.array(z.object({ code: z.string(), message: Message })),
});
export type OfferPreviewDto = z.infer<typeof OfferPreviewDto>;

/** an offer activity's offer on the collector; offerId and status are null until it is published */
export const OfferStateDto = z.object({
  activityId: z.string(),
  offerId: z.string().nullable(),
  status: OfferStatus.nullable(),
  publishedAt: z.string().nullable(),
});
export type OfferStateDto = z.infer<typeof OfferStateDto>;

export const OfferEvidenceDto = OfferEvidence.extend({
  /** the prospect's name as the agent addressed them, when the e-mail is a recipient of the activity */
  recipientName: z.string().nullable(),
  /** the core recomputed the SHA-256 of the wording it received and it matches wordingSha256 */
  wordingVerified: z.boolean(),
});
export type OfferEvidenceDto = z.infer<typeof OfferEvidenceDto>;

export const OfferEvidenceListDto = z.object({
  activityId: z.string(),
  offerId: z.string(),
  evidence: z.array(OfferEvidenceDto),
  /** when the collector gave this list (ISO) */
  fetchedAt: z.string(),
  /**
   * Set when the collector could not be asked now: the list is the copy kept from `fetchedAt`,
   * and this says why (stable code, message key).
   */
  offline: z.object({ code: z.string(), message: Message }).nullable(),
});
export type OfferEvidenceListDto = z.infer<typeof OfferEvidenceListDto>;

// ---------- legal form and landing-page locks (issue 13) ----------
export const ContactLegalDto = z.object({
  email: z.string(),
  name: z.string().nullable(),
  kind: ContactKind,
  archivedAt: z.string().nullable(),
  /** when the prospect gave the Kontakterlaubnis on a landing page (null: never) */
  offerPermissionAt: z.string().nullable(),
});
export type ContactLegalDto = z.infer<typeof ContactLegalDto>;

/** issue 17: the contacts' tracking modes as synced from the collector, with the account default */
export const ConsentContactsDto = z.object({
  defaultMode: ConsentMode,
  contacts: z.array(ContactConsent),
});
export type ConsentContactsDto = z.infer<typeof ConsentContactsDto>;

export const PropertyLandingDto = z.object({
  propertyId: z.string(),
  status: PropertyMarketStatus,
  lockAll: z.boolean(),
  /** the buyer pays commission (Außenprovision): asks Widerruf (consumers) and Provisionskenntnis */
  buyerCommission: z.boolean(),
  /** statuses that lock the account's landing pages, as the collector has them (null: offline) */
  lockStatuses: z.array(z.enum(LANDING_LOCK_STATUSES)).nullable(),
  /** everyone an offer of this property went to, with the Absage */
  prospects: z.array(z.object({ email: z.string(), name: z.string().nullable(), rejected: z.boolean() })),
});
export type PropertyLandingDto = z.infer<typeof PropertyLandingDto>;

export const AccountDocumentKind = z.enum(['agb', 'datenschutz']);
export const AccountDocumentsDto = z.object({
  agb: z.object({ version: z.number().int(), label: z.string(), text: z.string() }).nullable(),
  datenschutz: z.object({ version: z.number().int(), label: z.string(), text: z.string() }).nullable(),
});
export type AccountDocumentsDto = z.infer<typeof AccountDocumentsDto>;

// ---------- operations ----------
const None = z.object({}).strict();

/** name → [argument schema, result schema] */
export const ipcOperations = {
  'status.get': [None, StatusDto],
  'settings.get': [None, SettingsDto],
  'settings.saveMailAccount': [MailAccountInput, SettingsDto],
  'settings.testMailAccount': [MailAccountInput, TestConnectionResult],
  'settings.saveCollector': [CollectorInput, SettingsDto],
  'settings.setTrackingEnabled': [z.object({ enabled: z.boolean() }).strict(), SettingsDto],
  'settings.setSharesNetwork': [z.object({ shared: z.boolean() }).strict(), SettingsDto],
  'settings.setNotificationPrefs': [NotificationPrefs, SettingsDto],
  'settings.setLanguage': [z.object({ language: z.enum(['de', 'en']) }).strict(), SettingsDto],
  'settings.startLocalTestMode': [None, SettingsDto],
  'settings.setMailboxSignals': [
    z.object({ enabled: z.boolean(), folder: z.string().trim().min(1).max(200) }).strict(),
    SettingsDto,
  ],
  /** issue 20: an admin sets or removes the account's tracking domain; anyone reads it again */
  'trackingDomain.set': [z.object({ host: z.string().max(260) }).strict(), SettingsDto],
  'trackingDomain.remove': [None, SettingsDto],
  'trackingDomain.verify': [None, SettingsDto],
  'trackingDomain.refresh': [None, SettingsDto],
  'activities.list': [
    z
      .object({
        query: z.string().max(200).default(''),
        filter: ActivityFilterInput.default('all'),
      })
      .strict(),
    z.array(ActivityDto),
  ],
  /** a window of the list and the total (the renderer's virtual list asks for what it shows) */
  'activities.page': [
    z
      .object({
        query: z.string().max(200).default(''),
        filter: ActivityFilterInput.default('all'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1_000).default(100),
        /**
         * the badge's count of unseen activities also during a search: asked for when data changed
         * (events arrived, a feed was seen), not on each keystroke
         */
        withUnseen: z.boolean().default(false),
        /** a keystroke: the rows at once, a total that needs a scan later (`activities.count`) */
        countLater: z.boolean().default(false),
      })
      .strict(),
    ActivityPageDto,
  ],
  /** how many activities a search and filter find (the total `activities.page` left for later) */
  'activities.count': [
    z
      .object({
        query: z.string().max(200).default(''),
        filter: ActivityFilterInput.default('all'),
      })
      .strict(),
    z.object({ total: z.number().int() }),
  ],
  'activities.get': [z.object({ activityId: z.string() }).strict(), ActivityDto],
  'feed.get': [z.object({ activityId: z.string() }).strict(), FeedDto],
  'feed.markSeen': [z.object({ activityId: z.string() }).strict(), z.object({ activityId: z.string() })],
  'feed.correctVerdict': [z.object({ eventId: z.string(), verdict: Verdict }).strict(), FeedItemDto],
  'contacts.suggest': [z.object({ query: z.string().max(200) }).strict(), z.array(ContactDto)],
  /** the language last sent to all of these recipients, when it is one (null: none, or they differ) */
  'contacts.prospectLanguage': [
    z.object({ emails: z.array(z.string().max(320)).max(600) }).strict(),
    z.object({ language: ProspectLanguageSchema.nullable() }),
  ],
  'compose.send': [ComposeInput, z.object({ activityId: z.string() })],
  'properties.list': [None, z.array(PropertyDto)],
  'properties.get': [z.object({ id: z.string() }).strict(), PropertyDto],
  'properties.save': [PropertyInput, PropertyDto],
  'properties.delete': [z.object({ id: z.string() }).strict(), z.object({ id: z.string() })],
  'properties.addFile': [PropertyFileInput, PropertyDto],
  'properties.removeFile': [z.object({ propertyId: z.string(), fileId: z.string() }).strict(), PropertyDto],
  'properties.readFile': [
    z.object({ propertyId: z.string(), fileId: z.string() }).strict(),
    z.object({ contentType: z.string(), contentBase64: z.string() }),
  ],
  'properties.importOpenImmo': [OpenImmoImportInput, OpenImmoImportResult],
  'legal.get': [None, LegalDto],
  'legal.saveText': [z.object({ text: z.string().trim().min(50).max(50_000) }).strict(), LegalDto],
  'legal.saveProfile': [AgentProfile, LegalDto],
  // issue 17: tracking consent per contact, the account default and the analytics switches
  'consent.contacts': [None, ConsentContactsDto],
  'consent.setMode': [
    z.object({ email: z.email().max(320), mode: ConsentMode.nullable() }).strict(),
    ContactConsent,
  ],
  'consent.setSettings': [ConsentSettings.partial().strict(), SettingsDto],
  'landing.contacts': [None, z.array(ContactLegalDto)],
  'landing.updateContact': [
    z
      .object({ email: z.email().max(320), kind: ContactKind.optional(), archived: z.boolean().optional() })
      .strict(),
    ContactLegalDto,
  ],
  'landing.property': [z.object({ propertyId: z.string().max(100) }).strict(), PropertyLandingDto],
  'landing.setProperty': [
    z
      .object({
        propertyId: z.string().max(100),
        status: PropertyMarketStatus,
        lockAll: z.boolean(),
        buyerCommission: z.boolean(),
      })
      .strict(),
    PropertyLandingDto,
  ],
  'landing.setRejected': [
    z.object({ propertyId: z.string().max(100), email: z.email().max(320), rejected: z.boolean() }).strict(),
    PropertyLandingDto,
  ],
  'landing.setLockStatuses': [
    z
      .object({ propertyId: z.string().max(100), statuses: z.array(z.enum(LANDING_LOCK_STATUSES)).max(2) })
      .strict(),
    PropertyLandingDto,
  ],
  'landing.documents': [None, AccountDocumentsDto],
  'landing.saveDocument': [
    z.object({ kind: AccountDocumentKind, text: z.string().max(50_000) }).strict(),
    AccountDocumentsDto,
  ],
  'offers.preview': [OfferSendInput, OfferPreviewDto],
  'offers.send': [OfferSendInput, z.object({ activityId: z.string() })],
  'offers.get': [z.object({ activityId: z.string() }).strict(), OfferStateDto],
  'offers.status': [z.object({ activityId: z.string(), status: OfferStatus }).strict(), OfferStateDto],
  'offers.evidence': [z.object({ activityId: z.string() }).strict(), OfferEvidenceListDto],
  'outbox.resolve': [
    z
      .object({
        activityId: z.string(),
        /** file: sent but not in Sent — only the IMAP append is tried again, nothing is sent */
        action: z.enum(['retry', 'send_untracked', 'mark_sent', 'discard', 'file']),
      })
      .strict(),
    ActivityDto,
  ],
  ...draftOperations,
  ...longTextOperations,
  ...evidenceOperations,
  ...privacyOperations,
} as const satisfies Record<string, readonly [z.ZodType, z.ZodType]>;

export type IpcOperation = keyof typeof ipcOperations;
export type IpcArgs<K extends IpcOperation> = z.input<(typeof ipcOperations)[K][0]>;
export type IpcResult<K extends IpcOperation> = z.infer<(typeof ipcOperations)[K][1]>;

// ---------- events pushed from the core to the renderer ----------
export const CoreEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('activity.changed'), activityId: z.string() }),
  z.object({ kind: z.literal('feed.event'), activityId: z.string(), item: FeedItemDto }),
  z.object({
    kind: z.literal('notification'),
    activityId: z.string(),
    title: z.string(),
    body: z.string(),
  }),
  z.object({ kind: z.literal('status.changed'), status: StatusDto }),
  z.object({ kind: z.literal('settings.changed') }),
  /** sent by the Electron shell (never by the core) when a desktop notification is clicked */
  z.object({ kind: z.literal('navigate'), activityId: z.string() }),
]);
export type CoreEvent = z.infer<typeof CoreEvent>;

/** What the preload exposes as window.blitz, and what the browser host's client implements. */
export interface BlitzApi {
  invoke<K extends IpcOperation>(op: K, args: IpcArgs<K>): Promise<import('./result').Result<IpcResult<K>>>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
}
