import { z } from 'zod';
import { EvidenceFile } from '../../src-shared/evidence/format';
import type { ApiRouteSpec } from '../routes/api-spec';

export const EvidenceQuery = z
  .object({
    email: z.string().trim().min(3).max(320).includes('@'),
    offerId: z.string().min(1).max(100).optional(),
    format: z.enum(['json', 'pdf']).default('json'),
  })
  .strict();

/** The Nachweisakte's route of API v1 (issue 16); listed in the OpenAPI document. */
export const evidenceApiSpec = {
  evidence: {
    method: 'GET',
    path: '/api/v1/evidence',
    summary:
      'The Nachweisakte of one address (docs/evidence.md): nachweis.json (records, chain proofs, signed heads, key fingerprint), or with format=pdf the German PDF (application/pdf); chains and signs what is committed first. Visible as events are: an agent gets the records of messages they sent, an admin the account. 404 unknown offer, 503 evidence_not_signed (try again)',
    query: EvidenceQuery,
    response: EvidenceFile,
  },
} as const satisfies Record<string, ApiRouteSpec>;
