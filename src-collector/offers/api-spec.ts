import { z } from 'zod';
import {
  OfferEvidenceResponse,
  OfferStatusResponse,
  OfferStatusUpdate,
  PublishOfferRequest,
  PublishOfferResponse,
} from '../../src-shared/api';
import type { ApiRouteSpec } from '../routes/api-spec';

export const OfferIdParam = z.object({ id: z.string().min(1).max(100) }).strict();

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
} as const satisfies Record<string, ApiRouteSpec>;
