import { err, ok } from '../../../src-shared/result';
import { activityNotFound, type CoreContext, type DomainHandlers } from './context';

export function activitiesHandlers({ cache }: CoreContext): DomainHandlers<'activities'> {
  return {
    'activities.list': async ({ query, filter }) => ok(cache.activities.list(query, filter)),
    'activities.page': async ({ query, filter, offset, limit, withUnseen, countLater }) =>
      ok(cache.activities.window(query, filter, offset, limit, withUnseen, countLater)),
    'activities.count': async ({ query, filter }) =>
      ok({ total: await cache.activities.count(query, filter) }),
    'activities.get': async ({ activityId }) => {
      const a = cache.activities.dto(activityId);
      return a ? ok(a) : err(activityNotFound(activityId));
    },
  };
}
