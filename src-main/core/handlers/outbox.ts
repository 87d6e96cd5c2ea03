import { msg } from '../../../src-shared/messages';
import type { ActivityDto } from '../../../src-shared/ipc';
import { err, ok, type Result } from '../../../src-shared/result';
import { resolveOutbox } from '../outbox/resolve';
import { activityNotFound, type CoreContext, type DomainHandlers } from './context';

/** The agent's decision on a stuck outbox entry (retry, send untracked, mark sent, discard). */
export function outboxHandlers(ctx: CoreContext): DomainHandlers<'outbox'> {
  const { cache, runner } = ctx;
  const activityOrError = (id: string): Result<ActivityDto> => {
    const a = cache.activities.dto(id);
    return a ? ok(a) : err(activityNotFound(id));
  };
  return {
    'outbox.resolve': async ({ activityId, action }) => {
      // the runner may be mid-step on this activity: resolving now would race its next write
      if (runner.busy(activityId)) {
        return err({
          code: 'outbox_busy',
          message: msg('outboxBusy'),
        });
      }
      const before = cache.activities.dto(activityId);
      const r = resolveOutbox(cache, activityId, action);
      if (!r.ok) return r;
      ctx.emit({ kind: 'activity.changed', activityId });
      ctx.emitStatus();
      runner.kick();
      if (r.value.deleted && before) return ok({ ...before, outboxState: null, outboxError: null });
      return activityOrError(activityId);
    },
  };
}
