import type { AppError } from '../../../../src-shared/result';
import { msg } from '../../../../src-shared/messages';
import type { Delivery } from '../../cache';
import {
  appendToBody,
  consentFooterHtml,
  consentFooterText,
  injectTracking,
  rewriteText,
  withdrawFooterHtml,
  withdrawFooterText,
} from '../../compose';
import { buildMessage, sendMail, type MailAccount } from '../../mail';
import { fromAppError, outboxError, type OutboxJob, type OutboxStep, type StepContext } from './context';
import { pendingUnits } from './gate';

/** what one unit's SMTP transaction carries */
export interface UnitMessage {
  unit: number;
  members: Delivery[];
  raw: Buffer;
}

/**
 * The copy of one unit: an offer's copy is the prospect's own (their name and landing page), any
 * tracked copy gets the unit's pixel and redirect links. Null (with the activity failed) when it
 * cannot be built.
 */
export async function composeUnit(
  ctx: StepContext,
  job: OutboxJob,
  unit: number,
  account: MailAccount,
): Promise<UnitMessage | null> {
  const { id, activity: act } = job;
  const members = job.deliveries.filter((d) => d.unit === unit);
  const first = members[0] as Delivery;
  const tracker = first.tracker;
  const own = act.kind === 'offer' ? (ctx.deps.offers?.bodyFor(id, first.email) ?? null) : null;
  if (act.kind === 'offer' && !own) {
    await ctx.persist(id, {
      state: 'failed',
      error: outboxError(msg('outboxOfferLandingMissing', { email: first.email })),
    });
    return null;
  }
  const baseHtml = own ? own.html : act.html;
  const baseText = own ? own.text : act.text;
  // issue 17: a copy the collector did not track for its one recipient may carry the consent link
  const consentUrl = !tracker && members.length === 1 ? ctx.cache.consent.consentLink(id, first.email) : null;
  const withdrawUrl = tracker?.withdrawUrl ?? null;
  const html =
    baseHtml !== null && tracker
      ? injectTracking(baseHtml, {
          pixelUrl: tracker.pixelUrl,
          links: tracker.links,
          ...(tracker.honeypotUrl ? { honeypotUrl: tracker.honeypotUrl } : {}),
          ...(tracker.pixel === false ? { pixel: false } : {}),
          ...(withdrawUrl ? { footerHtml: withdrawFooterHtml(withdrawUrl, act.prospectLanguage) } : {}),
        })
      : baseHtml !== null && consentUrl
        ? appendToBody(baseHtml, consentFooterHtml(consentUrl, act.prospectLanguage))
        : baseHtml;
  // The text part keeps the links as the agent wrote them when an HTML part carries the
  // tracking: text-only readers and spam filters see the real address, not a redirect. A
  // text-only mail has no other place for tracking, so its links are tracked there and
  // each names its real target in brackets.
  const rewritten =
    baseText !== null && tracker && html === null
      ? rewriteText(baseText, tracker.links, { showTarget: true })
      : baseText;
  const footer = withdrawUrl
    ? withdrawFooterText(withdrawUrl, act.prospectLanguage)
    : consentUrl
      ? consentFooterText(consentUrl, act.prospectLanguage)
      : '';
  const text = rewritten !== null ? rewritten + footer : null;
  const visible = (kind: 'to' | 'cc') =>
    act.recipients.filter((r) => r.kind === kind).map((r) => ({ email: r.email, name: r.name }));
  job.attachments ??= ctx.cache.activities.attachments(id);
  const built = await buildMessage({
    from: { email: account.fromEmail, name: account.fromName },
    to: visible('to'),
    cc: visible('cc'),
    subject: act.subject,
    ...(html !== null ? { html } : {}),
    ...(text !== null ? { text } : {}),
    attachments: job.attachments,
    messageId: first.messageId,
    date: new Date(act.createdAt),
  });
  if (!built.ok) {
    await ctx.persist(id, { state: 'failed', error: fromAppError(built.error) });
    return null;
  }
  return { unit, members, raw: built.value.raw };
}

/**
 * One SMTP transaction: the unit is 'sending' (persisted) while the server may have it, so a
 * crash in between leaves it uncertain rather than sent twice. A transient failure puts it back
 * to pending and the activity to retrying ('stop'); a permanent one fails the unit and the other
 * units still go out ('next'); recipients the server refused are failed one by one.
 */
export async function transmitUnit(
  ctx: StepContext,
  job: OutboxJob,
  message: UnitMessage,
  account: MailAccount,
): Promise<'next' | 'stop'> {
  const { cache, log } = ctx;
  const { id } = job;
  const { unit, members } = message;
  await ctx.persist(id, { state: 'sending' }, () => cache.outbox.setUnitState(id, unit, 'sending'));
  const res = await sendMail(
    account,
    message.raw,
    { from: account.fromEmail, to: members.map((m) => m.email) },
    ctx.deps.mailOptions,
  );
  if (!res.ok) {
    const e: AppError = res.error;
    if (e.transient) {
      const attempts = (cache.outbox.get(id)?.attempts ?? 0) + 1;
      await ctx.persist(
        id,
        {
          state: 'retrying',
          error: fromAppError(e),
          attempts,
          nextAttemptAt: Date.now() + ctx.backoff(attempts - 1),
        },
        () => cache.outbox.setUnitState(id, unit, 'pending'),
      );
      return 'stop';
    }
    cache.outbox.setUnitState(id, unit, 'failed', fromAppError(e));
    log.warn({ activityId: id, unit, detail: e.detail }, 'outbox: SMTP refused permanently');
    return 'next';
  }
  const rejected = new Set(res.value.rejected.map((r) => r.toLowerCase()));
  const recipients = new Set(job.activity.recipients.map((r) => r.email.toLowerCase()));
  cache.tx(() => {
    for (const m of members) {
      const refused = rejected.has(m.email.toLowerCase()) && recipients.has(m.email.toLowerCase());
      cache.outbox.setDeliveryState(
        id,
        m.email,
        refused ? 'failed' : 'accepted',
        refused ? outboxError(msg('outboxRecipientRefused'), null, res.value.response) : null,
      );
    }
    if (members.some((m) => !rejected.has(m.email.toLowerCase()))) cache.activities.setSentAt(id, ctx.now());
  });
  return 'next';
}

/** Step 5: every unit still pending is composed and handed to the SMTP server, one after another. */
export const sendPendingUnits: OutboxStep = async (ctx, job) => {
  const units = pendingUnits(job);
  if (units.length === 0) return 'next';
  const account = job.account;
  if (!account) throw new Error('outbox: sendPendingUnits needs the mail account step first');
  for (const unit of units) {
    const message = await composeUnit(ctx, job, unit, account);
    if (!message) return 'stop';
    if ((await transmitUnit(ctx, job, message, account)) === 'stop') return 'stop';
  }
  job.deliveries = ctx.cache.outbox.deliveries(job.id);
  return 'next';
};
