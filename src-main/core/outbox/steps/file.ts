import { msg } from '../../../../src-shared/messages';
import { appendToSent, buildMessage, findInSent } from '../../mail';
import { FILE_ATTEMPTS_MAX, fromAppError, type OutboxStep } from './context';

/**
 * Step 9: the clean copy (no pixel, the links as written, Bcc kept for the agent) goes into the
 * IMAP Sent folder, unless a copy with its Message-ID is there already (a pass cut short after
 * the APPEND). Every copy is accepted by now: whatever happens here, nothing is sent again — a
 * transient failure retries only the filing, FILE_ATTEMPTS_MAX times, then waits as not_filed.
 */
export const fileInSent: OutboxStep = async (ctx, job) => {
  const { cache, deps, log } = ctx;
  const { id } = job;
  const account = job.account;
  if (!account) throw new Error('outbox: fileInSent needs the mail account step first');
  const act = cache.activities.get(id);
  if (!act) return 'stop';
  const found = await findInSent(account, act.messageId, deps.mailOptions);
  if (found.ok && found.value.found) {
    await ctx.persist(id, { state: 'filed', error: null });
    return 'next';
  }
  const pick = (kind: 'to' | 'cc' | 'bcc') =>
    act.recipients.filter((r) => r.kind === kind).map((r) => ({ email: r.email, name: r.name }));
  const built = await buildMessage({
    from: { email: account.fromEmail, name: account.fromName },
    to: pick('to'),
    cc: pick('cc'),
    bcc: pick('bcc'),
    keepBcc: true,
    subject: act.subject,
    ...(act.html !== null ? { html: act.html } : {}),
    ...(act.text !== null ? { text: act.text } : {}),
    attachments: job.attachments ?? cache.activities.attachments(id),
    messageId: act.messageId,
    date: new Date(act.createdAt),
  });
  const res = built.ok ? await appendToSent(account, built.value.raw, deps.mailOptions) : built;
  if (res.ok) {
    await ctx.persist(id, { state: 'filed', error: null });
    return 'next';
  }
  const attempts = (cache.outbox.get(id)?.attempts ?? 0) + 1;
  const error = fromAppError(res.error, msg('outboxNotFiled'));
  log.warn(
    { activityId: id, code: res.error.code, detail: res.error.detail, attempts },
    'outbox: not filed in Sent',
  );
  if (res.error.transient && attempts < FILE_ATTEMPTS_MAX) {
    await ctx.persist(id, {
      state: 'sent',
      error,
      attempts,
      nextAttemptAt: Date.now() + ctx.backoff(attempts - 1),
    });
    return 'stop';
  }
  await ctx.persist(id, { state: 'not_filed', error, attempts, nextAttemptAt: 0 });
  return 'stop';
};
