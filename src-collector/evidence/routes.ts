import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { OfferServices } from '../offers/services';
import { EvidenceQuery, evidenceApiSpec } from './api-spec';
import { renderEvidencePdf } from './pdf';
import type { EvidenceServices } from './service';

export { EvidenceQuery };

/**
 * `GET /.well-known/blitz-evidence-key` (the public key as PEM, its fingerprint in a header and
 * at `.json`) and `GET /api/v1/evidence?email=…[&offerId=…][&format=pdf]`: the Nachweisakte of
 * one address, visible as events are (an agent: messages they sent; an admin: the account).
 */
export function registerEvidence(
  app: FastifyInstance,
  ctx: CollectorContext,
  ev: EvidenceServices,
  offers: OfferServices | null,
): void {
  app.get('/.well-known/blitz-evidence-key', async (_req, reply) =>
    reply
      .header('content-type', 'application/x-pem-file; charset=utf-8')
      .header('blitz-key-fingerprint', ev.key.fingerprint)
      .header('cache-control', 'public, max-age=300')
      .send(ev.key.publicKeyPem),
  );
  app.get('/.well-known/blitz-evidence-key.json', async (_req, reply) =>
    reply
      .header('cache-control', 'public, max-age=300')
      .send({ algorithm: 'Ed25519', publicKeyPem: ev.key.publicKeyPem, fingerprint: ev.key.fingerprint }),
  );

  app.get(evidenceApiSpec.evidence.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const q = EvidenceQuery.safeParse(req.query ?? {});
    if (!q.success) return sendError(reply, 400, 'invalid_request', describeZodError(q.error, req.query));
    let messageId: string | undefined;
    if (q.data.offerId) {
      const offer = offers ? await offers.offers.getOffer(q.data.offerId) : null;
      const visible =
        offer && offer.accountId === user.accountId && (user.role === 'admin' || offer.userId === user.id);
      if (!offer || !visible) return sendError(reply, 404, 'not_found', 'no such offer');
      messageId = offer.messageId;
    }
    const out = await ev.exportFor({
      accountId: user.accountId,
      email: q.data.email,
      offerId: q.data.offerId,
      messageId,
      senderUserId: user.role === 'admin' ? undefined : user.id,
    });
    if (!out.ok)
      return sendError(reply, 503, 'evidence_not_signed', 'the chain is not signed yet; try again');
    reply.header('cache-control', 'no-store');
    if (q.data.format === 'pdf') {
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="nachweis.pdf"')
        .send(await renderEvidencePdf(out.file, out.records));
    }
    return reply.header('content-disposition', 'attachment; filename="nachweis.json"').send(out.file);
  });
}
