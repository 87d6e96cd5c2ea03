import type { TrackingEvent } from '../../src-shared/events';
import type { OfferStore } from '../store/offers/types';
import type { Store } from '../store/types';

/**
 * The collector's Store with `offerId` filled in on landing events. An offer belongs to exactly
 * one message (its landing tokens are that message's tracker tokens), so the offer of a landing
 * event follows from its messageId; this adds it on the way out instead of changing how hits
 * are written. Everything else passes through untouched.
 */
export function withOfferIds(store: Store, offers: OfferStore): Store {
  const fill = async (events: TrackingEvent[]): Promise<void> => {
    const landing = events.filter((e) => e.type.startsWith('landing.'));
    if (landing.length === 0) return;
    const ids = await offers.offerIdsForMessages(landing.map((e) => e.messageId));
    for (const e of landing) {
      const id = ids.get(e.messageId);
      if (id) e.offerId = id;
    }
  };
  const pullEvents: Store['pullEvents'] = async (viewer, after, limit) => {
    const page = await store.pullEvents(viewer, after, limit);
    await fill(page.events);
    return page;
  };
  const inner = store.pullEventsJson?.bind(store);
  const pullEventsJson: Store['pullEventsJson'] = inner
    ? async (viewer, after, limit) => {
        const page = await inner(viewer, after, limit);
        if (page.landing.length === 0) return page;
        const ids = await offers.offerIdsForMessages(page.landing.map((l) => l.messageId));
        for (const l of page.landing) {
          const id = ids.get(l.messageId);
          // the store's JSON is an object: one more member goes before its closing brace
          if (id)
            page.events[l.index] = `${page.events[l.index]!.slice(0, -1)},"offerId":${JSON.stringify(id)}}`;
        }
        return page;
      }
    : undefined;
  const updateVerdict: Store['updateVerdict'] = async (viewer, eventId, verdict) => {
    const event = await store.updateVerdict(viewer, eventId, verdict);
    if (event) await fill([event]);
    return event;
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'pullEvents') return pullEvents;
      if (prop === 'pullEventsJson') return pullEventsJson;
      if (prop === 'updateVerdict') return updateVerdict;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
