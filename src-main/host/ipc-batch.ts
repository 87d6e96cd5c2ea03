import { z } from 'zod';
import { ipcOperations, type IpcOperation } from '../../src-shared/ipc';
import { msg } from '../../src-shared/messages';
import { err, type Result } from '../../src-shared/result';
import type { CoreApi } from '../core/api';

/**
 * POST /ipc-batch: several bridge calls in one request, answered in one array in their order.
 * Why: a page load's first calls (settings, status, the list's first page, src-renderer/boot.ts)
 * went as three requests through Chromium's network service while the page was still starting;
 * on the project's loaded 2-core machine each request is work for the browser, the network
 * service and the host on the list open's critical path (issue 12). Each call is dispatched as
 * POST /ipc/:op would be; an unknown operation is refused in its own slot.
 */
export const IPC_BATCH_PATH = '/ipc-batch';
/** more calls than a page starts with at once is not a batch the renderer makes */
export const MAX_BATCH = 8;

const Batch = z
  .array(z.object({ op: z.string().max(100), args: z.unknown().optional() }).strict())
  .min(1)
  .max(MAX_BATCH);

function isKnownOperation(op: string): op is IpcOperation {
  return Object.prototype.hasOwnProperty.call(ipcOperations, op);
}

/** the calls of a parsed body, or null when it is no batch */
export function parseBatch(body: unknown): z.infer<typeof Batch> | null {
  const parsed = Batch.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** every call dispatched at once; the answers in the calls' order */
export function dispatchBatch(
  core: CoreApi,
  calls: z.infer<typeof Batch>,
  log: (msg: string) => void,
): Promise<Result<unknown>[]> {
  return Promise.all(
    calls.map(async ({ op, args }): Promise<Result<unknown>> => {
      if (!isKnownOperation(op))
        return err({ code: 'unknown_operation', message: msg('unknownOperation'), detail: op });
      try {
        return await core.dispatch(op, args ?? {});
      } catch (e) {
        // the core returns errors as values; a throw is a bug, reported with context
        log(`dispatch ${op} threw: ${e instanceof Error ? e.stack : String(e)}`);
        return err({
          code: 'internal',
          message: msg('internalError'),
          detail: 'internal error (see the host log)',
        });
      }
    }),
  );
}
