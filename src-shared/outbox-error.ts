import { z } from 'zod';
import { Message } from './messages';

/**
 * Why an outbox step did not succeed: the explanation, a cause, and the server's raw reply. Its
 * own module (re-exported by ipc.ts) so that the cache's code, which the sync threads load at
 * every start, does not build every IPC schema to read an activity's error column.
 */
export const OutboxErrorDto = z.object({
  message: Message,
  /** e.g. the SMTP reply explained, under „Nicht zugestellt an …“ */
  cause: Message.nullable(),
  /** the raw server reply or errno, shown collapsed behind „Details“ */
  detail: z.string().nullable(),
});
export type OutboxErrorDto = z.infer<typeof OutboxErrorDto>;
