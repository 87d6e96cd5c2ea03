import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { subjectKey } from '../../src-shared/privacy';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import type { UserRecord } from '../store/types';
import { privacyApiSpec as spec, DeletedEventsQuery, SubjectQuery } from './api-spec';
import { renderSubjectPdf } from './pdf';
import { eraseSubject, exportSubject } from './subject';

/**
 * Issue 17 part 2 over HTTP (docs/privacy.md): the desktops' tombstone pull, the retention
 * setting, legal holds, and an admin's subject export and erasure.
 */
export function registerPrivacy(app: FastifyInstance, ctx: CollectorContext): void {
  const { store } = ctx;

  async function caller(req: FastifyRequest, reply: FastifyReply, adminOnly: boolean): Promise<UserRecord | null> {
    const user = await authenticate(ctx, req, reply);
    if (!user) return null;
    if (adminOnly && user.role !== 'admin') {
      sendError(reply, 403, 'forbidden', 'only an admin may do this');
      return null;
    }
    return user;
  }

  function parse<T extends z.ZodType>(schema: T, input: unknown, reply: FastifyReply): z.infer<T> | null {
    const r = schema.safeParse(input ?? {});
    if (r.success) return r.data;
    sendError(reply, 400, 'invalid_request', describeZodError(r.error, input));
    return null;
  }

  app.get(spec.deletedEvents.path, async (req, reply) => {
    const user = await caller(req, reply, false);
    if (!user) return reply;
    const q = parse(DeletedEventsQuery, req.query, reply);
    if (!q) return reply;
    return reply.header('cache-control', 'no-store').send(await store.privacy.deletedEvents(user, q.after, q.limit));
  });

  app.get(spec.getPrivacySettings.path, async (req, reply) => {
    const user = await caller(req, reply, false);
    if (!user) return reply;
    return { retentionDays: await store.privacy.retentionDays(user.accountId) };
  });

  app.put(spec.putPrivacySettings.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const body = parse(spec.putPrivacySettings.body, req.body, reply);
    if (!body) return reply;
    return { retentionDays: await store.privacy.setRetentionDays(user.accountId, body.retentionDays) };
  });

  app.get(spec.listLegalHolds.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    return { holds: await store.privacy.holds(user.accountId) };
  });

  app.put(spec.setLegalHold.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const body = parse(spec.setLegalHold.body, req.body, reply);
    if (!body) return reply;
    const hold = await store.privacy.setHold(user.accountId, subjectKey(body.email), body.reason, user.email, new Date());
    ctx.log.info({ accountId: user.accountId, by: user.id }, 'legal hold set');
    return hold;
  });

  app.post(spec.liftLegalHold.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const body = parse(spec.liftLegalHold.body, req.body, reply);
    if (!body) return reply;
    const lifted = await store.privacy.liftHold(user.accountId, subjectKey(body.email));
    ctx.log.info({ accountId: user.accountId, by: user.id, lifted }, 'legal hold lifted');
    return { lifted };
  });

  app.get(spec.exportSubject.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const q = parse(SubjectQuery, req.query, reply);
    if (!q) return reply;
    const out = await exportSubject(store, { accountId: user.accountId, email: q.email });
    reply.header('cache-control', 'no-store');
    if (q.format === 'pdf') {
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="auskunft.pdf"')
        .send(await renderSubjectPdf(out));
    }
    return reply.header('content-disposition', 'attachment; filename="auskunft.json"').send(out);
  });

  app.post(spec.eraseSubject.path, async (req, reply) => {
    const user = await caller(req, reply, true);
    if (!user) return reply;
    const body = parse(spec.eraseSubject.body, req.body, reply);
    if (!body) return reply;
    // hits already queued for the address must land before its rows go
    await ctx.writer.drain();
    const out = await eraseSubject(store, { accountId: user.accountId, email: body.email, reason: body.reason });
    ctx.lookup.forgetTokens();
    ctx.log.info({ accountId: user.accountId, by: user.id, erasure: out.logId, erased: out.erased, kept: out.kept.length }, 'subject erased');
    return { erased: out.erased, kept: out.kept };
  });
}
