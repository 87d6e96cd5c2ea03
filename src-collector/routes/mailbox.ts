import type { FastifyInstance } from 'fastify';
import {
  MAILBOX_KIND_TYPE,
  MailboxSignalRequest,
  MailboxSignalResponse,
  mailboxEventId,
} from '../../src-shared/mailbox';
import type { EventDetail } from '../../src-shared/events';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { ApiRouteSpec } from './api-spec';

/** Issue 19: the one route of mailbox signals, described for the OpenAPI document too. */
export const mailboxApiSpec = {
  reportMailboxSignal: {
    method: 'POST',
    path: '/api/v1/mailbox-signals',
    summary:
      "Report a reply, bounce or out-of-office answer the desktop read in the agent's INBOX (only the fact, never content); idempotent by (message, recipient, kind, source mail); becomes the event mail.replied, mail.bounced or mail.auto_replied",
    body: MailboxSignalRequest,
    response: MailboxSignalResponse,
  },
} as const satisfies Record<string, ApiRouteSpec>;

export function registerMailboxSignals(app: FastifyInstance, ctx: CollectorContext): void {
  const spec = mailboxApiSpec.reportMailboxSignal;
  app.post(spec.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const body = MailboxSignalRequest.safeParse(req.body);
    if (!body.success)
      return sendError(reply, 400, 'invalid_request', describeZodError(body.error, req.body));
    const b = body.data;
    if (b.kind !== 'bounced' && b.status !== undefined)
      return sendError(reply, 400, 'invalid_request', 'status: only a bounce carries a status code');
    const settings = await ctx.store.getSettings(user.accountId);
    if (!settings.trackingEnabled)
      return sendError(
        reply,
        403,
        'tracking_disabled',
        'Tracking ist für dieses Konto ausgeschaltet (tracking is switched off for this account)',
      );
    const recipientEmail = b.recipientEmail === null ? null : b.recipientEmail.toLowerCase();
    const detail: EventDetail = b.status === undefined ? {} : { status: b.status };
    const r = await ctx.store.recordMailboxSignal({
      id: mailboxEventId(b.messageId, recipientEmail, b.kind, b.sourceKey),
      viewer: user,
      messageId: b.messageId,
      type: MAILBOX_KIND_TYPE[b.kind],
      recipientEmail,
      occurredAt: new Date(b.occurredAt).toISOString(),
      detail,
      receivedAt: new Date().toISOString(),
    });
    if (r.outcome === 'not_found') return sendError(reply, 404, 'not_found', 'no such message');
    if (r.outcome === 'created')
      ctx.log.info(
        { userId: user.id, messageId: b.messageId, type: r.event.type, eventId: r.event.id },
        'mailbox signal recorded',
      );
    const res: MailboxSignalResponse = { created: r.outcome === 'created', event: r.event };
    return reply
      .code(r.outcome === 'created' ? 201 : 200)
      .header('cache-control', 'no-store')
      .send(res);
  });
}
