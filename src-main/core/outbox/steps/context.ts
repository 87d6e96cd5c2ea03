import type { PublishOfferResponse } from '../../../../src-shared/api';
import type { OutboxErrorDto, OutboxState } from '../../../../src-shared/ipc';
import { msg, type Message } from '../../../../src-shared/messages';
import type { AppError, Result } from '../../../../src-shared/result';
import type { CoreLogger, CoreTiming } from '../../api';
import type { ActivityRecord, Cache, Delivery, OutboxRecord, StoredAttachment } from '../../cache';
import type { CollectorClient } from '../../collector/client';
import type { CollectorError } from '../../collector/errors';
import type { MailAccount, MailConnectOptions } from '../../mail';

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

/** One activity on its way through the steps; what a step learns, the next one reads here. */
export interface OutboxJob {
  readonly id: string;
  /** as loaded when the job started */
  readonly activity: ActivityRecord;
  readonly outbox: OutboxRecord;
  deliveries: Delivery[];
  /** set by the mail-account step */
  account: MailAccount | null;
  /** read once per job, however many units go out */
  attachments?: StoredAttachment[];
}

/** 'next' hands the job to the following step; 'stop' ends this pass (state already persisted). */
export type StepOutcome = 'next' | 'stop';
export type OutboxStep = (ctx: StepContext, job: OutboxJob) => Promise<StepOutcome>;

type OutboxPatch = Parameters<Cache['outbox']['update']>[1];

/** an outbox error from a message key, optionally with the cause and the raw reply behind it */
export function outboxError(message: Message, cause: Message | null = null, detail?: string): OutboxErrorDto {
  return { message, cause, detail: detail ?? null };
}

/** an AppError as the outbox keeps it; `wrap` says what it meant for this activity */
export function fromAppError(e: AppError, wrap?: Message): OutboxErrorDto {
  return wrap ? outboxError(wrap, e.message, e.detail) : outboxError(e.message, null, e.detail);
}

export const OFFER_NEEDS_TRACKING = outboxError(msg('outboxOfferNeedsTracking'));
export const INTERRUPTED = outboxError(msg('outboxInterrupted'));
export const CONFIRMATION_ELSEWHERE = outboxError(msg('outboxConfirmationElsewhere'));

/**
 * Transient failures to file the copy in Sent are retried this many times by themselves; then the
 * activity waits as not_filed for the agent's „In „Gesendet“ ablegen“.
 */
export const FILE_ATTEMPTS_MAX = 5;

/** What every step needs: the dependencies and the one way to persist an outbox state. */
export interface StepContext {
  readonly deps: OutboxDeps;
  readonly cache: Cache;
  readonly log: CoreLogger;
  now(): string;
  /** the wait before attempt `attempts + 1`, at least the server's hint */
  backoff(attempts: number, hintMs?: number): number;
  /** persists `patch` (and `extra` in the same transaction), then tells the observers */
  persist(id: string, patch: OutboxPatch, extra?: () => void): Promise<void>;
}

export function createStepContext(deps: OutboxDeps): StepContext {
  const { cache, timing } = deps;
  const now = () => new Date().toISOString();
  return {
    deps,
    cache,
    log: deps.log,
    now,
    backoff: (attempts, hintMs) =>
      Math.max(hintMs ?? 0, Math.min(timing.retryMaxMs, timing.retryBaseMs * 2 ** Math.min(attempts, 20))),
    async persist(id, patch, extra) {
      cache.tx(() => {
        extra?.();
        cache.outbox.update(id, patch, now());
      });
      if (patch.state) await deps.onStep(id, patch.state);
    },
  };
}

/** the job for `id` as the cache has it now, or null when the activity is gone */
export function loadJob(cache: Cache, id: string): OutboxJob | null {
  const outbox = cache.outbox.get(id);
  const activity = cache.activities.get(id);
  if (!outbox || !activity) return null;
  return { id, activity, outbox, deliveries: cache.outbox.deliveries(id), account: null };
}
