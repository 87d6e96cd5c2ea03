import { z } from 'zod';
import { EVENTS_SHAPES } from './event-rows';
import { EnergyCertificate } from './energy';
import { ReceivedTrackingEvent, TrackingEvent } from './events';
import { linkProblem } from './link-policy';
import { ConsentSettings, RecipientTracking } from './consent';

/** Wire schemas of the collector's API v1 (DESIGN.md, "The collector's contract"). */

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Role = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof Role>;

export const MeResponse = z.object({
  userId: z.string(),
  accountId: z.string(),
  role: Role,
  name: z.string(),
  email: z.string(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const Settings = z.object({
  trackingEnabled: z.boolean(),
  /**
   * issue 21: the office shares its network with prospects (co-working, a building's line), so
   * another address of the sender's block is not the sender. Optional on the wire: an older
   * collector leaves it out, and a desktop reads that as false.
   */
  sharesNetworkWithProspects: z.boolean().optional(),
  /** issue 17: consent default and analytics switches; optional for older collectors */
  ...ConsentSettings.partial().shape,
});
export type Settings = z.infer<typeof Settings>;
export const SettingsUpdate = Settings.partial().strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

export const AbsoluteHttpUrl = z
  .string()
  .max(4096)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL')
  .superRefine((s, ctx) => {
    const problem = linkProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const Recipient = z
  .object({ email: z.email().max(320), name: z.string().max(200).optional() })
  .strict();
export type Recipient = z.infer<typeof Recipient>;

export const RegisterMessageRequest = z
  .object({
    clientId: z.string().min(1).max(200),
    subject: z.string().max(1000),
    sentIndividually: z.boolean(),
    recipients: z.array(Recipient).min(1).max(500),
    links: z.array(AbsoluteHttpUrl).max(2000),
  })
  .strict();
export type RegisterMessageRequest = z.infer<typeof RegisterMessageRequest>;

export const Tracker = z.object({
  recipientEmail: z.string().nullable(),
  pixelUrl: z.string(),
  /**
   * issue 17: false when the account's open switch is off: the copy carries no pixel (and the
   * URL would record nothing). Absent (older collectors) means true.
   */
  pixel: z.boolean().optional(),
  links: z.array(z.object({ url: z.string(), trackedUrl: z.string() })),
  /** a hidden link for the HTML part: a person never sees it, so whatever follows it is a machine */
  honeypotUrl: z.string().optional(),
  /** issue 17: the withdrawal link for the tracked copy's footer (when the account turns it on) */
  withdrawUrl: z.string().optional(),
});
export type Tracker = z.infer<typeof Tracker>;

export const RegisterMessageResponse = z.object({
  messageId: z.string(),
  trackers: z.array(Tracker),
  /**
   * issue 17: per recipient whether it is tracked and why not; a recipient that may not be
   * tracked has no tracker; awaiting consent, its copy carries `consentUrl` instead. Older collectors omit it.
   */
  recipients: z.array(RecipientTracking).optional(),
});
export type RegisterMessageResponse = z.infer<typeof RegisterMessageResponse>;

/** A message as the collector knows it; lets an agent's other desktops show the same history. */
export const MessageSummary = z.object({
  messageId: z.string(),
  clientId: z.string(),
  subject: z.string(),
  sentIndividually: z.boolean(),
  recipients: z.array(Recipient),
  createdAt: z.string(),
  userId: z.string(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const EVENTS_PAGE_MAX = 5000;
export const EventsQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(EVENTS_PAGE_MAX).default(500),
    /** `rows`: the page's events as rows (src-shared/event-rows.ts), `{"rows": [...], ...}` */
    shape: z.enum(EVENTS_SHAPES).default('events'),
  })
  .strict();
export type EventsQuery = z.infer<typeof EventsQuery>;

/**
 * One page of the account's sequence. Message registrations take a number from the same
 * per-account sequence as events, so one cursor brings both: `messages` holds the registrations
 * with seq in (after, next], which is how an agent's other desktops learn of messages they did not send.
 */
export const EventsResponse = z.object({
  events: z.array(TrackingEvent),
  messages: z.array(MessageSummary.extend({ seq: z.number().int().positive() })).default([]),
  next: z.number().int().min(0),
  /**
   * The account's newest sequence number when the page was read (added for the desktop's progress:
   * at most lastSeq - next events and registrations are still to come). Older collectors omit it.
   */
  lastSeq: z.number().int().min(0).optional(),
});
export type EventsResponse = z.infer<typeof EventsResponse>;
/**
 * A response header of GET /api/v1/events: the page's `next`, ahead of its body, so a first sync
 * can ask for the following page while this one is still arriving. A hint: the body's `next`
 * decides (an older collector sends no header).
 */
export const EVENTS_NEXT_HEADER = 'blitz-next';
/** EventsResponse as the desktop checks it: unknown event fields dropped (ReceivedTrackingEvent) */
export const ReceivedEventsResponse = EventsResponse.extend({ events: z.array(ReceivedTrackingEvent) });

/* ---- Offers (issue 5): publishing a property offer for an individually sent message ---- */

export const OFFER_STATUSES = ['active', 'withdrawn', 'sold'] as const;
export const OfferStatus = z.enum(OFFER_STATUSES);
export type OfferStatus = z.infer<typeof OfferStatus>;

/** Per decoded file; the collector also caps the sum (OFFER_TOTAL_BYTES_MAX). */
export const OFFER_IMAGE_BYTES_MAX = 8 * 1024 * 1024;
export const OFFER_PDF_BYTES_MAX = 20 * 1024 * 1024;
export const OFFER_TOTAL_BYTES_MAX = 32 * 1024 * 1024;
export const OFFER_FILE_TYPES = {
  image: ['image/jpeg', 'image/png', 'image/webp'],
  document: ['application/pdf'],
  expose: ['application/pdf'],
} as const;

// control, bidi-override and path characters make file names lie about what they are
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const FILE_NAME_FORBIDDEN = /[\u0000-\u001f\u007f/\\\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
export const OfferFileName = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !FILE_NAME_FORBIDDEN.test(s) && s.trim() !== '' && s !== '.' && s !== '..', {
    message: 'file name must not contain control, bidi or path characters',
  });

export const OfferLink = z.object({ label: z.string().min(1).max(200), url: AbsoluteHttpUrl }).strict();
export const UnitStatus = z.enum(['available', 'reserved', 'sold']);
export const OfferUnit = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    number: z.string().min(1).max(50),
    floor: z.string().max(50).optional(),
    area: z.number().positive().max(1_000_000).optional(),
    rooms: z.number().positive().max(1000).optional(),
    price: z.number().nonnegative().max(1e11).optional(),
    status: UnitStatus.default('available'),
    /** the unit's own title and teaser (OpenImmo objekttitel / dreizeiler of the unit) */
    title: z.string().max(200).optional(),
    teaser: z.string().max(2000).optional(),
  })
  .strict();
export type OfferUnit = z.infer<typeof OfferUnit>;

export const OfferAgent = z
  .object({
    name: z.string().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().max(50).optional(),
    company: z.string().max(200).optional(),
  })
  .strict();

/** a versioned legal text as shown to the prospect (light Markdown: # / ## headings, paragraphs) */
export const LegalDocument = z
  .object({ version: z.string().min(1).max(50), text: z.string().min(1).max(50_000) })
  .strict();
export type LegalDocument = z.infer<typeof LegalDocument>;
export const LockKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/);

export const CONTACT_KINDS = ['consumer', 'commercial'] as const;
/** Verbraucher (§ 13 BGB) or Unternehmer (§ 14 BGB): only consumers have a right of withdrawal */
export const ContactKind = z.enum(CONTACT_KINDS);
export type ContactKind = z.infer<typeof ContactKind>;

export const OfferProperty = z
  .object({
    title: z.string().min(1).max(200),
    address: z.string().max(300),
    /** EUR */
    price: z.number().nonnegative().max(1e11).optional(),
    /** m² Wohnfläche */
    area: z.number().positive().max(1_000_000).optional(),
    rooms: z.number().positive().max(1000).optional(),
    description: z.string().max(20_000),
    links: z.array(OfferLink).max(20).default([]),
    /** project offers: units the prospect can like */
    units: z.array(OfferUnit).max(500).optional(),
    agent: OfferAgent,
    /** downloads require the legal form (Widerruf, § 356 Abs. 4 BGB, commission notice) first */
    legalForm: z.boolean(),
    cancellationPolicy: z
      .object({ version: z.string().min(1).max(50), text: z.string().min(1).max(50_000) })
      .strict(),
    commissionNotice: z.string().min(1).max(5000).optional(),
    /** § 87 GEG; absent only in offers published before the Energieausweis was known */
    energy: EnergyCertificate.optional(),
    /**
     * the buyer pays commission (Außenprovision); absent = as before, when there is a commission
     * notice. Decides whether the Widerruf confirmations and the Provisionskenntnis are asked.
     */
    buyerCommission: z.boolean().optional(),
    /** the account's AGB and Datenschutzerklärung as sent (versioned like the Widerrufsbelehrung) */
    terms: LegalDocument.optional(),
    privacy: LegalDocument.optional(),
    /** the desktop's id of the property: landing-page locks per property and per deal name it */
    propertyKey: LockKey.optional(),
  })
  .strict()
  .refine((p) => new Set((p.units ?? []).map((u) => u.id)).size === (p.units ?? []).length, {
    message: 'unit ids must be unique',
    path: ['units'],
  });
export type OfferProperty = z.infer<typeof OfferProperty>;

/** A file of the offer, base64 in the JSON body; the collector checks size and magic bytes. */
export const OfferFileUpload = z
  .object({
    role: z.enum(['image', 'document', 'expose']),
    name: OfferFileName,
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    data: z.base64().max(Math.ceil(OFFER_PDF_BYTES_MAX / 3) * 4),
  })
  .strict();
export type OfferFileUpload = z.infer<typeof OfferFileUpload>;

export const PublishOfferRequest = z
  .object({
    messageId: z.string().min(1).max(100),
    property: OfferProperty,
    files: z.array(OfferFileUpload).max(40).default([]),
    /** per recipient: consumer or commercial (absent = consumer, the careful default) */
    contactKinds: z
      .array(z.object({ email: z.email().max(320), kind: ContactKind }).strict())
      .max(500)
      .optional(),
  })
  .strict()
  .refine((r) => r.files.filter((f) => f.role === 'expose').length <= 1, {
    message: 'at most one exposé',
    path: ['files'],
  })
  .refine(
    (r) => r.files.every((f) => (OFFER_FILE_TYPES[f.role] as readonly string[]).includes(f.contentType)),
    {
      message: 'images must be JPEG, PNG or WebP; documents and the exposé PDF',
      path: ['files'],
    },
  );
export type PublishOfferRequest = z.infer<typeof PublishOfferRequest>;

export const PublishOfferResponse = z.object({
  offerId: z.string(),
  status: OfferStatus,
  landing: z.array(z.object({ recipientEmail: z.string(), url: z.string() })),
});
export type PublishOfferResponse = z.infer<typeof PublishOfferResponse>;

export const OfferStatusUpdate = z.object({ status: OfferStatus }).strict();
export const OfferStatusResponse = z.object({ offerId: z.string(), status: OfferStatus });
export type OfferStatusResponse = z.infer<typeof OfferStatusResponse>;

/** One legal confirmation as evidence: the exact wording shown and the FULL client IP. */
export const OfferEvidence = z.object({
  id: z.string(),
  offerId: z.string(),
  recipientEmail: z.string().nullable(),
  confirmation: z.string(),
  wording: z.string(),
  wordingSha256: z.string(),
  policyVersion: z.string(),
  confirmedAt: z.string(),
  ip: z.string(),
  userAgent: z.string(),
  /** the same wording confirmed again through the same link: counted, the first row kept */
  repeatCount: z.number().int().nonnegative().optional(),
  lastSeenAt: z.string().nullable().optional(),
});
export type OfferEvidence = z.infer<typeof OfferEvidence>;
export const OfferEvidenceResponse = z.object({ offerId: z.string(), evidence: z.array(OfferEvidence) });
export type OfferEvidenceResponse = z.infer<typeof OfferEvidenceResponse>;

/* ---- Legal declarations and landing-page locks (issue 13) ---- */

/** one confirmation exactly as shown beside its checkbox, and its SHA-256 */
export const DeclaredItem = z.object({
  confirmation: z.string(),
  wording: z.string(),
  wordingSha256: z.string(),
});
export type DeclaredItem = z.infer<typeof DeclaredItem>;

export const DECLARATION_MAIL_STATES = ['pending', 'claimed', 'sent'] as const;
/**
 * What a prospect declared in one submission of the legal form, with what the confirmation
 * mail needs (the offer's property snapshot: title, agent, the policy text). The offer's owner's
 * desktop claims it, sends the mail over the agent's SMTP and reports it sent.
 */
export const Declaration = z.object({
  id: z.string(),
  offerId: z.string(),
  messageId: z.string(),
  recipientEmail: z.string().nullable(),
  recipientName: z.string().nullable(),
  contactKind: ContactKind,
  declaredAt: z.string(),
  items: z.array(DeclaredItem),
  mailState: z.enum(DECLARATION_MAIL_STATES),
  mailSentAt: z.string().nullable(),
  property: z.object({
    title: z.string(),
    address: z.string(),
    agent: OfferAgent,
    cancellationPolicy: LegalDocument,
  }),
});
export type Declaration = z.infer<typeof Declaration>;
export const DeclarationsResponse = z.object({ declarations: z.array(Declaration) });
export type DeclarationsResponse = z.infer<typeof DeclarationsResponse>;
/** a desktop's random id: a claim is renewable by the same device, taken over only after it lapsed */
export const DeclarationClaimRequest = z.object({ device: z.string().min(8).max(100) }).strict();
export const DeclarationClaimResponse = z.object({ declaration: Declaration, claimedUntil: z.string() });
export type DeclarationClaimResponse = z.infer<typeof DeclarationClaimResponse>;
export const DeclarationSentRequest = z
  .object({ device: z.string().min(8).max(100), mailMessageId: z.string().max(300) })
  .strict();

export const LANDING_LOCK_STATUSES = ['reserved', 'sold'] as const;
/** the property's marketing status as the desktop has it */
export const PropertyMarketStatus = z.enum(['available', 'reserved', 'sold']);
export type PropertyMarketStatus = z.infer<typeof PropertyMarketStatus>;
/** which property statuses lock an account's landing pages (default: reserviert and verkauft) */
export const LandingLockSettings = z
  .object({ statuses: z.array(z.enum(LANDING_LOCK_STATUSES)).max(2) })
  .strict();
export type LandingLockSettings = z.infer<typeof LandingLockSettings>;
export const PropertyLockUpdate = z.object({ status: PropertyMarketStatus, lockAll: z.boolean() }).strict();
export type PropertyLockUpdate = z.infer<typeof PropertyLockUpdate>;
export const ContactLockUpdate = z.object({ email: z.email().max(320), archived: z.boolean() }).strict();
export type ContactLockUpdate = z.infer<typeof ContactLockUpdate>;
export const DealLockUpdate = z
  .object({ propertyKey: LockKey, email: z.email().max(320), rejected: z.boolean() })
  .strict();
export type DealLockUpdate = z.infer<typeof DealLockUpdate>;
export const LockAck = z.object({ ok: z.literal(true) });
