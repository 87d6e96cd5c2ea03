import { z } from 'zod';
import {
  ContactLockUpdate,
  DealLockUpdate,
  DeclarationClaimRequest,
  DeclarationClaimResponse,
  DeclarationSentRequest,
  DeclarationsResponse,
  LandingLockSettings,
  LockAck,
  LockKey,
  PropertyLockUpdate,
  OfferEvidenceResponse,
  OfferStatusResponse,
  OfferStatusUpdate,
  PublishOfferRequest,
  PublishOfferResponse,
} from '../../src-shared/api';
import type { ApiRouteSpec } from '../routes/api-spec';

export const OfferIdParam = z.object({ id: z.string().min(1).max(100) }).strict();
export const PropertyKeyParam = z.object({ key: LockKey }).strict();

/** The offer routes of API v1; listed in the OpenAPI document beside the collector's own. */
export const offerApiSpec = {
  publishOffer: {
    method: 'POST',
    path: '/api/v1/offers',
    summary:
      'Publish an offer for an individually sent, registered message: JSON with base64 files (images JPEG/PNG/WebP ≤ 8 MiB, PDFs ≤ 20 MiB, ≤ 32 MiB together, magic bytes checked); one landing URL per recipient; the same messageId again returns the same answer',
    body: PublishOfferRequest,
    response: PublishOfferResponse,
  },
  offerStatusRead: {
    method: 'GET',
    path: '/api/v1/offers/{id}/status',
    summary: "An offer's current status, whichever device changed it last",
    params: OfferIdParam,
    response: OfferStatusResponse,
  },
  offerStatus: {
    method: 'PUT',
    path: '/api/v1/offers/{id}/status',
    summary: "Change an offer's status; withdrawn or sold offers show a notice instead of their landing page",
    params: OfferIdParam,
    body: OfferStatusUpdate,
    response: OfferStatusResponse,
  },
  offerEvidence: {
    method: 'GET',
    path: '/api/v1/offers/{id}/evidence',
    summary: 'Legal confirmations of an offer as evidence: exact wording, its SHA-256, time and full IP',
    params: OfferIdParam,
    response: OfferEvidenceResponse,
  },
  openDeclarations: {
    method: 'GET',
    path: '/api/v1/declarations/open',
    summary:
      "Declarations of the caller's own offers whose confirmation mail is not sent yet (the legal form's submissions that added a confirmation), oldest first, at most 100",
    response: DeclarationsResponse,
  },
  claimDeclaration: {
    method: 'POST',
    path: '/api/v1/declarations/{id}/claim',
    summary:
      'Claim the confirmation mail of a declaration for 15 minutes (renewable by the same device, taken over only when lapsed); 409 claimed_elsewhere or already_sent',
    params: OfferIdParam,
    body: DeclarationClaimRequest,
    response: DeclarationClaimResponse,
  },
  declarationSent: {
    method: 'POST',
    path: '/api/v1/declarations/{id}/sent',
    summary:
      "Report the confirmation mail sent (idempotent); the first report adds the event landing.confirmation_sent to the offer's feed",
    params: OfferIdParam,
    body: DeclarationSentRequest,
    response: DeclarationClaimResponse.pick({ declaration: true }),
  },
  landingLockSettings: {
    method: 'GET',
    path: '/api/v1/landing-locks/settings',
    summary: "Which property statuses lock the account's landing pages (default: reserved and sold)",
    response: LandingLockSettings,
  },
  landingLockSettingsUpdate: {
    method: 'PUT',
    path: '/api/v1/landing-locks/settings',
    summary: 'Set which property statuses lock the landing pages (admin)',
    adminOnly: true,
    body: LandingLockSettings,
    response: LandingLockSettings,
  },
  propertyLock: {
    method: 'PUT',
    path: '/api/v1/landing-locks/properties/{key}',
    summary:
      "A property's status and its „alle Landing Pages sperren“ switch; the key is the desktop's propertyKey sent with the offers",
    params: PropertyKeyParam,
    body: PropertyLockUpdate,
    response: LockAck,
  },
  contactLock: {
    method: 'PUT',
    path: '/api/v1/landing-locks/contacts',
    summary: "An archived contact's landing pages are locked; unarchiving opens them again",
    body: ContactLockUpdate,
    response: LockAck,
  },
  dealLock: {
    method: 'PUT',
    path: '/api/v1/landing-locks/deals',
    summary: 'A rejected deal (Absage) between a contact and a property locks that landing page',
    body: DealLockUpdate,
    response: LockAck,
  },
} as const satisfies Record<string, ApiRouteSpec>;
