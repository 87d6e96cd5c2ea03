import type { AppError, Result } from '../../../src-shared/result';
import { err, ok } from '../../../src-shared/result';
import { msg } from '../../../src-shared/messages';
import type { Cache } from '../cache';

export type ResolveAction = 'retry' | 'send_untracked' | 'mark_sent' | 'discard' | 'file';

/**
 * The agent's decision on an activity the outbox cannot finish alone (uncertain, failed,
 * waiting for the collector). Copies already accepted by the SMTP server are never sent again.
 * Returns whether the activity still exists (discard may delete it).
 */
export function resolveOutbox(
  cache: Cache,
  activityId: string,
  action: ResolveAction,
): Result<{ deleted: boolean }> {
  const ob = cache.outbox.get(activityId);
  if (!ob) return err(notPending(activityId));
  if (ob.state === 'filed' || ob.state === 'sending') {
    return err({
      code: 'outbox_not_resolvable',
      message: msg(ob.state === 'filed' ? 'outboxAlreadyFiled' : 'outboxSendingNow'),
      detail: `state=${ob.state}`,
    });
  }
  if (action === 'send_untracked' && cache.activities.get(activityId)?.kind === 'offer') {
    return err({
      code: 'offer_needs_tracking',
      message: msg('offerNeedsTrackingResolve'),
      detail: activityId,
    });
  }
  const sentAlready = ob.state === 'sent' || ob.state === 'not_filed';
  if (action === 'file' && !sentAlready) {
    return err({
      code: 'outbox_not_resolvable',
      message: msg('outboxNothingToFile'),
      detail: `state=${ob.state}`,
    });
  }
  if (sentAlready && action !== 'file' && action !== 'discard') {
    // every copy went out: sending again or untracked would be a second mail to the same people
    return err({
      code: 'outbox_not_resolvable',
      message: msg('outboxFileOnly'),
      detail: `state=${ob.state}`,
    });
  }
  const at = new Date().toISOString();
  const deliveries = cache.outbox.deliveries(activityId);
  const planned = deliveries.length > 0;
  const anyAccepted = deliveries.some((d) => d.state === 'accepted');
  return cache.tx(() => {
    switch (action) {
      case 'file':
        // only the IMAP append is tried again: 'sent' is the runner's step before filing
        cache.outbox.update(activityId, { state: 'sent', attempts: 0, nextAttemptAt: 0 }, at);
        return ok({ deleted: false });
      case 'retry':
        cache.outbox.replaceDeliveryState(activityId, 'uncertain', 'pending');
        cache.outbox.replaceDeliveryState(activityId, 'failed', 'pending');
        cache.outbox.update(
          activityId,
          { state: planned ? 'registered' : 'queued', error: null, attempts: 0, nextAttemptAt: 0 },
          at,
        );
        return ok({ deleted: false });
      case 'send_untracked':
        cache.outbox.replaceDeliveryState(activityId, 'uncertain', 'pending');
        cache.outbox.replaceDeliveryState(activityId, 'failed', 'pending');
        cache.outbox.clearTrackers(activityId);
        if (!anyAccepted) cache.activities.setTracked(activityId, false);
        cache.outbox.update(
          activityId,
          {
            state: planned ? 'registered' : 'queued',
            untracked: true,
            error: null,
            attempts: 0,
            nextAttemptAt: 0,
          },
          at,
        );
        return ok({ deleted: false });
      case 'mark_sent':
        cache.outbox.replaceDeliveryState(activityId, 'uncertain', 'accepted');
        cache.outbox.replaceDeliveryState(activityId, 'failed', 'accepted');
        cache.outbox.replaceDeliveryState(activityId, 'pending', 'accepted');
        if (!planned) {
          // nothing was planned: the agent sent it some other way; nothing to file for us
          cache.outbox.update(activityId, { state: 'filed', error: null, nextAttemptAt: 0 }, at);
        } else {
          cache.outbox.update(activityId, { state: 'sent', error: null, attempts: 0, nextAttemptAt: 0 }, at);
        }
        cache.activities.setSentAt(activityId, at);
        return ok({ deleted: false });
      case 'discard':
        if (anyAccepted) {
          // part of it went out: keep the record of what was sent, stop working on the rest
          cache.outbox.delete(activityId);
          cache.activities.setSentAt(activityId, at);
          return ok({ deleted: false });
        }
        cache.activities.delete(activityId);
        return ok({ deleted: true });
    }
  });
}

function notPending(activityId: string): AppError {
  return {
    code: 'outbox_not_found',
    message: msg('outboxNotFound'),
    detail: activityId,
  };
}
