import { msg } from '../../../src-shared/messages';
import { err, ok } from '../../../src-shared/result';
import type { CoreContext, DomainHandlers } from './context';

export function draftsHandlers(ctx: CoreContext): DomainHandlers<'drafts'> {
  const { cache } = ctx;
  return {
    'drafts.list': async () => ok(cache.drafts.list()),
    'drafts.get': async ({ id }) => {
      const d = cache.drafts.get(id);
      return d ? ok(d) : err({ code: 'draft_not_found', message: msg('draftNotFound') });
    },
    'drafts.save': async (input) => ok(cache.drafts.save(input)),
    'drafts.delete': async ({ id }) => {
      cache.drafts.delete(id);
      return ok({ id });
    },
  };
}
