import { ok } from '../../../src-shared/result';
import type { CoreContext, DomainHandlers } from './context';

export function activitiesHandlers({ cache }: CoreContext): DomainHandlers<'activities'> {
  return {
    'activities.list': async ({ query, filter }) => ok(cache.activities.list(query, filter)),
  };
}
