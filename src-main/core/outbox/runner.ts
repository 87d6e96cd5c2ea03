import type { AppError } from '../../../src-shared/result';
import { msg, type Message } from '../../../src-shared/messages';
import type { OutboxErrorDto, OutboxState } from '../../../src-shared/ipc';
import type { PublishOfferResponse, RegisterMessageResponse } from '../../../src-shared/api';
import type { Result } from '../../../src-shared/result';
import type { CollectorError } from '../collector/errors';
import type { CoreLogger, CoreTiming } from '../api';
import type { Cache, Delivery } from '../cache';
import type { CollectorClient } from '../collector/client';
import { extractTrackableLinks, injectTracking, rewriteText } from '../compose';
import {
  appendToSent,
  buildMessage,
  findInSent,
  sendMail,
  type MailAccount,
  type MailConnectOptions,
} from '../mail';
import { planDeliveries, registrationsFor, type PlanInput } from './plan';

export interface OutboxDeps {
  cache: Cache;
  collector(): CollectorClient | null;
  /** the mail account with passwords, or null when not configured */
  mailAccount(): Promise<MailAccount | null>;
  /** the account switch went off on the collector (403 tracking_disabled) */
  onTrackingDisabled(): void;
  mailOptions?: MailConnectOptions;
  timing: CoreTiming;
  log: CoreLogger;
  /** a persisted step; awaited, so observers see every state before the next step */
  onStep(activityId: string, state: OutboxState): Promise<void>;
  /** offers (activity kind 'offer'): the publish step and each prospect's own e-mail */
  offers?: OfferSteps;
  /** legal confirmation mails: sent only while this desktop holds the collector's claim */
  confirmations?: {
    beforeSend(activityId: string): Promise<'go' | 'drop' | 'wait'>;
    afterSent(activityId: string): Promise<void>;
  };
}

export interface OfferSteps {
  isPublished(activityId: string): boolean;
  /** idempotent on the collector: publishing the same message again answers with the same offer */
  publish(activityId: string): Promise<Result<PublishOfferResponse, CollectorError>>;
  /** persisted in the same transaction as the 'published' step */
  markPublished(activityId: string, res: PublishOfferResponse): void;
  bodyFor(activityId: string, email: string): { html: string; text: string } | null;
}

/** an outbox error from a message key, optionally with the cause and the raw reply behind it */
export function outboxError(message: Message, cause: Message | null = null, detail?: string): OutboxErrorDto {
  return { message, cause, detail: detail ?? null };
}

/** an AppError as the outbox keeps it; `wrap` says what it meant for this activity */
export function fromAppError(e: AppError, wrap?: Message): OutboxErrorDto {
  return wrap ? outboxError(wrap, e.message, e.detail) : outboxError(e.message, null, e.detail);
}

const OFFER_NEEDS_TRACKING = outboxError(msg('outboxOfferNeedsTracking'));
const INTERRUPTED = outboxError(msg('outboxInterrupted'));

/**
 * Transient failures to file the copy in Sent are retried this many times by themselves; then the
 * activity waits as not_filed for the agent's „In „Gesendet“ ablegen“.
 */
export const FILE_ATTEMPTS_MAX = 5;

const CONFIRMATION_ELSEWHERE = outboxError(msg('outboxConfirmationElsewhere'));

/**
 * Works the outbox: one activity at a time, every step persisted before it is taken, so a
 * process killed anywhere resumes without losing or doubling a message. A kill while an SMTP
 * transaction may have been in flight leaves `uncertain`, which only the agent resolves.
 */
export function createOutboxRunner(deps: OutboxDeps) {
  const { cache, timing, log } = deps;
  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: string | null = null;
  let idle: Promise<void> = Promise.resolve();

  const now = () => new Date().toISOString();
  const backoff = (attempts: number, hint?: number) =>
    Math.max(hint ?? 0, Math.min(timing.retryMaxMs, timing.retryBaseMs * 2 ** Math.min(attempts, 20)));

  async function step(
    id: string,
    patch: Parameters<Cache['outbox']['update']>[1],
    extra?: () => void,
  ): Promise<void> {
    cache.tx(() => {
      extra?.();
      cache.outbox.update(id, patch, now());
    });
    if (patch.state) await deps.onStep(id, patch.state);
  }

  /** marks everything a dead process left in flight as uncertain; run once at start */
  function recoverInterrupted(): string[] {
    const ids = cache.outbox.interrupted();
    for (const id of ids) {
      cache.tx(() => {
        cache.outbox.replaceDeliveryState(id, 'sending', 'uncertain');
        cache.outbox.update(id, { state: 'uncertain', error: INTERRUPTED }, now());
      });
      log.warn({ activityId: id }, 'outbox: send interrupted at an unknown point, marked uncertain');
    }
    return ids;
  }

  /** a throw mid-step: a copy possibly in flight is as unknown as after a crash */
  async function failUnexpectedly(id: string): Promise<void> {
    const inFlight = cache.outbox.deliveries(id).some((d) => d.state === 'sending');
    if (inFlight) {
      await step(id, { state: 'uncertain', error: INTERRUPTED }, () =>
        cache.outbox.replaceDeliveryState(id, 'sending', 'uncertain'),
      );
      return;
    }
    await step(id, {
      state: 'retrying',
      error: outboxError(msg('outboxInternalError')),
      nextAttemptAt: Date.now() + timing.retryMaxMs,
    });
  }

  /** the collector is back: activities waiting for it need not sit out their back-off */
  function collectorBack(): void {
    if (cache.outbox.wakeWaiting() > 0) kick();
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    idle = (async () => {
      try {
        do {
          again = false;
          for (const id of cache.outbox.due(Date.now())) {
            if (stopped) return;
            current = id;
            try {
              await process(id);
            } catch (e) {
              log.error(
                { activityId: id, err: e instanceof Error ? e.message : String(e) },
                'outbox: step failed',
              );
              await failUnexpectedly(id);
            } finally {
              current = null;
            }
          }
        } while (again && !stopped);
      } finally {
        running = false;
        scheduleNext();
      }
    })();
  }

  function scheduleNext(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const t = cache.outbox.nextDueAt();
    if (t === null) return;
    timer = setTimeout(kick, Math.max(0, Math.min(t - Date.now(), 2 ** 31 - 1)));
  }

  async function process(id: string): Promise<void> {
    const ob = cache.outbox.get(id);
    const act = cache.activities.get(id);
    if (!ob || !act) return;
    let deliveries = cache.outbox.deliveries(id);

    if (deliveries.length === 0) {
      const input: PlanInput = {
        activityId: id,
        subject: act.subject,
        messageId: act.messageId,
        recipients: act.recipients,
        sendIndividually: act.sentIndividually,
        links: extractTrackableLinks(act.html ?? undefined, act.text ?? undefined),
      };
      let responses: RegisterMessageResponse[] | null = null;
      if (act.tracked && !ob.untracked) {
        const client = deps.collector();
        if (!client) {
          await step(id, {
            state: 'failed',
            error: outboxError(msg('outboxNoCollector')),
          });
          return;
        }
        responses = [];
        for (const reg of registrationsFor(input)) {
          const res = await client.registerMessage({ clientId: `${id}${reg.suffix}`, ...reg.request });
          if (!res.ok) {
            if (res.error.code === 'tracking_disabled' && act.kind === 'offer') {
              deps.onTrackingDisabled();
              await step(id, { state: 'failed', error: OFFER_NEEDS_TRACKING });
              return;
            }
            if (res.error.code === 'tracking_disabled') {
              deps.onTrackingDisabled();
              cache.activities.setTracked(id, false);
              responses = null;
              log.info(
                { activityId: id },
                'outbox: tracking switched off on the collector, sending untracked',
              );
              break;
            }
            if (res.error.transient) {
              await step(id, {
                state: 'waiting_collector',
                error: fromAppError(res.error),
                attempts: ob.attempts + 1,
                nextAttemptAt: Date.now() + backoff(ob.attempts, res.error.retryAfterMs),
              });
              return;
            }
            await step(id, { state: 'failed', error: fromAppError(res.error) });
            return;
          }
          cache.activities.linkCollectorMessage(id, res.value.messageId, `${id}${reg.suffix}`);
          responses.push(res.value);
        }
      }
      const planned = planDeliveries(input, responses);
      await step(id, { state: 'registered', error: null, attempts: 0, nextAttemptAt: 0 }, () =>
        cache.outbox.planDeliveries(id, planned),
      );
      deliveries = cache.outbox.deliveries(id);
    }

    if (act.kind === 'offer' && deliveries.some((d) => d.state === 'pending')) {
      if (!(await publishOffer(id, cache.outbox.get(id)?.attempts ?? 0))) return;
    }

    const account = await deps.mailAccount();
    if (!account) {
      await step(id, { state: 'failed', error: outboxError(msg('outboxNoMailAccount')) });
      return;
    }

    const pendingUnits = [...new Set(deliveries.filter((d) => d.state === 'pending').map((d) => d.unit))];
    if (pendingUnits.length > 0 && deps.confirmations) {
      const gate = await deps.confirmations.beforeSend(id);
      if (gate === 'drop') {
        await step(id, { state: 'failed', error: CONFIRMATION_ELSEWHERE });
        return;
      }
      if (gate === 'wait') {
        const attempts = (cache.outbox.get(id)?.attempts ?? 0) + 1;
        await step(id, {
          state: 'waiting_collector',
          error: outboxError(msg('outboxConfirmationWaitsForCollector')),
          attempts,
          nextAttemptAt: Date.now() + backoff(attempts - 1),
        });
        return;
      }
    }
    if (pendingUnits.length > 0) {
      const attachments = cache.activities.attachments(id);
      const byEmail = new Map(act.recipients.map((r) => [r.email.toLowerCase(), r]));
      const visible = (kind: 'to' | 'cc') =>
        act.recipients.filter((r) => r.kind === kind).map((r) => ({ email: r.email, name: r.name }));
      for (const unit of pendingUnits) {
        const members = deliveries.filter((d) => d.unit === unit);
        const first = members[0] as Delivery;
        const tracker = first.tracker;
        // an offer's copy is the prospect's own: their name and their landing page
        const own = act.kind === 'offer' ? (deps.offers?.bodyFor(id, first.email) ?? null) : null;
        if (act.kind === 'offer' && !own) {
          await step(id, {
            state: 'failed',
            error: outboxError(msg('outboxOfferLandingMissing', { email: first.email })),
          });
          return;
        }
        const baseHtml = own ? own.html : act.html;
        const baseText = own ? own.text : act.text;
        const html =
          baseHtml !== null && tracker
            ? injectTracking(baseHtml, {
                pixelUrl: tracker.pixelUrl,
                links: tracker.links,
                ...(tracker.honeypotUrl ? { honeypotUrl: tracker.honeypotUrl } : {}),
              })
            : baseHtml;
        // The text part keeps the links as the agent wrote them when an HTML part carries the
        // tracking: text-only readers and spam filters see the real address, not a redirect. A
        // text-only mail has no other place for tracking, so its links are tracked there and
        // each names its real target in brackets.
        const text =
          baseText !== null && tracker && html === null
            ? rewriteText(baseText, tracker.links, { showTarget: true })
            : baseText;
        const built = await buildMessage({
          from: { email: account.fromEmail, name: account.fromName },
          to: visible('to'),
          cc: visible('cc'),
          subject: act.subject,
          ...(html !== null ? { html } : {}),
          ...(text !== null ? { text } : {}),
          attachments,
          messageId: first.messageId,
          date: new Date(act.createdAt),
        });
        if (!built.ok) {
          await step(id, { state: 'failed', error: fromAppError(built.error) });
          return;
        }
        await step(id, { state: 'sending' }, () => cache.outbox.setUnitState(id, unit, 'sending'));
        const res = await sendMail(
          account,
          built.value.raw,
          { from: account.fromEmail, to: members.map((m) => m.email) },
          deps.mailOptions,
        );
        if (!res.ok) {
          const e: AppError = res.error;
          if (e.transient) {
            const fresh = cache.outbox.get(id);
            const attempts = (fresh?.attempts ?? 0) + 1;
            await step(
              id,
              {
                state: 'retrying',
                error: fromAppError(e),
                attempts,
                nextAttemptAt: Date.now() + backoff(attempts - 1),
              },
              () => cache.outbox.setUnitState(id, unit, 'pending'),
            );
            return;
          }
          cache.outbox.setUnitState(id, unit, 'failed', fromAppError(e));
          log.warn({ activityId: id, unit, detail: e.detail }, 'outbox: SMTP refused permanently');
          continue;
        }
        const rejected = new Set(res.value.rejected.map((r) => r.toLowerCase()));
        cache.tx(() => {
          for (const m of members) {
            const refused = rejected.has(m.email.toLowerCase()) && byEmail.has(m.email.toLowerCase());
            cache.outbox.setDeliveryState(
              id,
              m.email,
              refused ? 'failed' : 'accepted',
              refused ? outboxError(msg('outboxRecipientRefused'), null, res.value.response) : null,
            );
          }
          if (members.some((m) => !rejected.has(m.email.toLowerCase())))
            cache.activities.setSentAt(id, now());
        });
      }
      deliveries = cache.outbox.deliveries(id);
    }

    const failed = deliveries.filter((d) => d.state === 'failed');
    if (failed.length > 0) {
      const who = failed.map((d) => d.email).join(', ');
      const first = failed[0]?.error ?? null;
      await step(id, {
        state: 'failed',
        error: outboxError(
          msg('outboxNotDelivered', { who }),
          first?.message ?? null,
          first?.detail ?? undefined,
        ),
      });
      return;
    }
    if (deliveries.some((d) => d.state !== 'accepted')) return;

    const ob2 = cache.outbox.get(id);
    if (ob2?.state !== 'sent' && ob2?.state !== 'not_filed') {
      await step(id, { state: 'sent', error: null, attempts: 0, nextAttemptAt: 0 }, () =>
        cache.activities.setSentAt(id, now()),
      );
    }
    await deps.confirmations?.afterSent(id);
    await fileInSent(id, account);
  }

  /** the offer's step between registered and sending; false = stop here for now */
  async function publishOffer(id: string, attempts: number): Promise<boolean> {
    const offers = deps.offers;
    if (!offers) {
      await step(id, { state: 'failed', error: outboxError(msg('outboxOffersUnsupported')) });
      return false;
    }
    if (offers.isPublished(id)) return true;
    const res = await offers.publish(id);
    if (!res.ok) {
      if (res.error.code === 'tracking_disabled') {
        deps.onTrackingDisabled();
        await step(id, { state: 'failed', error: OFFER_NEEDS_TRACKING });
      } else if (res.error.transient) {
        await step(id, {
          state: 'waiting_collector',
          error: fromAppError(res.error),
          attempts: attempts + 1,
          nextAttemptAt: Date.now() + backoff(attempts, res.error.retryAfterMs),
        });
      } else {
        await step(id, { state: 'failed', error: fromAppError(res.error) });
      }
      log.warn(
        { activityId: id, code: res.error.code, detail: res.error.detail },
        'outbox: offer not published',
      );
      return false;
    }
    await step(id, { state: 'published', error: null, attempts: 0, nextAttemptAt: 0 }, () =>
      offers.markPublished(id, res.value),
    );
    return true;
  }

  async function fileInSent(id: string, account: MailAccount): Promise<void> {
    const act = cache.activities.get(id);
    if (!act) return;
    const found = await findInSent(account, act.messageId, deps.mailOptions);
    if (found.ok && found.value.found) {
      await step(id, { state: 'filed', error: null });
      return;
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
      attachments: cache.activities.attachments(id),
      messageId: act.messageId,
      date: new Date(act.createdAt),
    });
    const res = built.ok ? await appendToSent(account, built.value.raw, deps.mailOptions) : built;
    if (res.ok) {
      await step(id, { state: 'filed', error: null });
      return;
    }
    // every copy is accepted: whatever happens now, nothing is sent again — only the filing is retried
    const ob = cache.outbox.get(id);
    const attempts = (ob?.attempts ?? 0) + 1;
    const error = fromAppError(res.error, msg('outboxNotFiled'));
    log.warn(
      { activityId: id, code: res.error.code, detail: res.error.detail, attempts },
      'outbox: not filed in Sent',
    );
    if (res.error.transient && attempts < FILE_ATTEMPTS_MAX) {
      await step(id, {
        state: 'sent',
        error,
        attempts,
        nextAttemptAt: Date.now() + backoff(attempts - 1),
      });
      return;
    }
    await step(id, { state: 'not_filed', error, attempts, nextAttemptAt: 0 });
  }

  return {
    recoverInterrupted,
    kick,
    collectorBack,
    /** the activity the worker is on right now: resolving it must wait */
    busy: (id: string) => current === id,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await idle.catch(() => undefined);
    },
  };
}
export type OutboxRunner = ReturnType<typeof createOutboxRunner>;
