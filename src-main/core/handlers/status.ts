import { ok } from '../../../src-shared/result';
import type { CoreContext, DomainHandlers } from './context';

export function statusHandlers(ctx: CoreContext): DomainHandlers<'status'> {
  return {
    'status.get': async () => ok(ctx.status()),
  };
}
