import type { Message } from './messages';

/** Errors are values with context, not strings thrown across layers. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export interface AppError {
  /** stable machine code, e.g. `smtp_auth_failed`, `collector_unreachable` */
  code: string;
  /** what the agent reads: a message key the renderer translates (src-shared/messages.ts) */
  message: Message;
  /** precise technical detail for logs and the UI's collapsed „Details“ (server reply, errno, URL) */
  detail?: string;
  /** whether retrying later may succeed */
  transient?: boolean;
}

/** An error of the collector's own programs (CLI, store opening): plain text for logs and terminals. */
export interface TextError {
  code: string;
  message: string;
  detail?: string;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });
