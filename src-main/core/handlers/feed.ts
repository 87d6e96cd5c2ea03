import { msg } from '../../../src-shared/messages';
import { err, ok } from '../../../src-shared/result';
import { buildFeed, feedItem } from '../feed/build';
import { activityNotFound, notConfigured, type CoreContext, type DomainHandlers } from './context';
import { decorateFeedItem, undeliveredOf, withLocalSignals } from '../mailbox/feed';
import { createMailboxRepo } from '../cache/mailbox';

/** The tracking feed behind an activity's bolt: reading it, marking it seen, correcting a verdict. */
export function feedHandlers(ctx: CoreContext): DomainHandlers<'feed'> {
  const { cache, emit } = ctx;
  const mailbox = createMailboxRepo(cache.db);
  return {
    'feed.get': async ({ activityId }) => {
      const a = cache.activities.get(activityId);
      if (!a) return err(activityNotFound(activityId));
      // issue 19: replies, bounces and out-of-office answers read from the INBOX on this computer
      const signals = mailbox.forActivity(activityId);
      const events = withLocalSignals(cache.events.forActivity(activityId), signals);
      const feed = buildFeed(activityId, events, a.recipients, a.seenLocalId);
      const byId = new Map(events.map((e) => [e.event.id, e.event]));
      const local = new Map(signals.map((x) => [x.eventId, x]));
      const items = feed.items.map((i) => decorateFeedItem(i, byId.get(i.eventId)!, local.get(i.eventId)));
      const undelivered = undeliveredOf(items);
      return ok({ ...feed, items, ...(undelivered.length > 0 ? { undelivered } : {}) });
    },
    'feed.markSeen': async ({ activityId }) => {
      if (!cache.activities.exists(activityId)) return err(activityNotFound(activityId));
      cache.activities.markSeen(activityId);
      emit({ kind: 'activity.changed', activityId });
      return ok({ activityId });
    },
    'feed.correctVerdict': async ({ eventId, verdict }) => {
      const client = ctx.client();
      if (!client) return err(notConfigured('collector'));
      const stored = cache.events.get(eventId);
      if (!stored) return err({ code: 'not_found', message: msg('eventNotFound'), detail: eventId });
      const r = await client.correctVerdict(eventId, verdict);
      if (!r.ok) return r;
      cache.events.apply(r.value);
      const activityId = cache.activities.activityIdForMessage(r.value.messageId);
      const a = activityId ? cache.activities.get(activityId) : null;
      const item = feedItem(r.value, a?.recipients ?? [], false);
      if (activityId) {
        emit({ kind: 'feed.event', activityId, item });
        emit({ kind: 'activity.changed', activityId });
      }
      return ok(item);
    },
  };
}
