import { z } from 'zod';
import {
  DeletedEventsResponse,
  EraseSubjectRequest,
  ErasureOutcome,
  LegalHold,
  LegalHoldsResponse,
  LiftLegalHoldRequest,
  LiftLegalHoldResponse,
  PrivacySettings,
  SetLegalHoldRequest,
  SubjectEmail,
} from '../../src-shared/privacy';
import type { ApiRouteSpec } from '../routes/api-spec';

export const DeletedEventsQuery = z
  .object({
    after: z.coerce.number().int().nonnegative().default(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .strict();

export const SubjectQuery = z
  .object({ email: SubjectEmail, format: z.enum(['json', 'pdf']).default('json') })
  .strict();

/** Issue 17 part 2's routes of API v1 (docs/privacy.md); listed in the OpenAPI document. */
export const privacyApiSpec = {
  deletedEvents: {
    method: 'GET',
    path: '/api/v1/events/deleted',
    summary:
      'Ids of events the collector deleted (retention, erasure) after the tombstone cursor `after`, oldest first, visible as events are; a desktop drops them from its cache and keeps `next`',
    query: DeletedEventsQuery,
    response: DeletedEventsResponse,
  },
  getPrivacySettings: {
    method: 'GET',
    path: '/api/v1/privacy/settings',
    summary: 'Retention period of behavioural events in days (default 365)',
    response: PrivacySettings,
  },
  putPrivacySettings: {
    method: 'PUT',
    path: '/api/v1/privacy/settings',
    summary: 'Sets the retention period (admin)',
    adminOnly: true,
    body: PrivacySettings,
    response: PrivacySettings,
  },
  listLegalHolds: {
    method: 'GET',
    path: '/api/v1/privacy/holds',
    summary: 'The legal holds of the account (admin)',
    adminOnly: true,
    response: LegalHoldsResponse,
  },
  setLegalHold: {
    method: 'PUT',
    path: '/api/v1/privacy/holds',
    summary: 'Sets (or changes the reason of) a legal hold on an address: nothing about it is deleted until lifted (admin)',
    adminOnly: true,
    body: SetLegalHoldRequest,
    response: LegalHold,
  },
  liftLegalHold: {
    method: 'POST',
    path: '/api/v1/privacy/holds/lift',
    summary: 'Lifts the legal hold on an address (admin); `lifted` false when there was none',
    adminOnly: true,
    body: LiftLegalHoldRequest,
    response: LiftLegalHoldResponse,
  },
  exportSubject: {
    method: 'GET',
    path: '/api/v1/privacy/subject',
    summary:
      'Everything the collector holds about an address (Art. 15 DSGVO): JSON by kind, or with format=pdf the German PDF (admin)',
    adminOnly: true,
    query: SubjectQuery,
    response: { mediaType: 'application/json', description: 'auskunft.json (blitz-subject-export/1) or auskunft.pdf' },
  },
  eraseSubject: {
    method: 'POST',
    path: '/api/v1/privacy/subject/erase',
    summary:
      'Erases an address and what is linked only to it (Art. 17 DSGVO) unless a legal hold keeps it; {erased: {kind: count}, kept: [{kind, count, hold}]} (admin)',
    adminOnly: true,
    body: EraseSubjectRequest,
    response: ErasureOutcome,
  },
} as const satisfies Record<string, ApiRouteSpec>;
