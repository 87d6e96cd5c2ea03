/** Errors are values with context, not strings thrown across layers. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export interface AppError {
  /** stable machine code, e.g. `smtp_auth_failed`, `collector_unreachable` */
  code: string;
  /** German text for the UI */
  message: string;
  /** precise technical detail for logs (server reply, errno, URL) */
  detail?: string;
  /** whether retrying later may succeed */
  transient?: boolean;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });
