import { msg } from '../../../src-shared/messages';
import type { z } from 'zod';
import type { CoreEvent, IpcOperation, IpcResult, StatusDto, ipcOperations } from '../../../src-shared/ipc';
import type { AppError, Result } from '../../../src-shared/result';
import type { CoreOptions, SecretStore } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import type { OfferService } from '../offers/service';
import type { OutboxRunner } from '../outbox/runner';
import type { PropertyService } from '../properties/service';

type Args<K extends IpcOperation> = z.output<(typeof ipcOperations)[K][0]>;
type Handler<K extends IpcOperation> = (args: Args<K>) => Promise<Result<IpcResult<K>>>;

/** every operation of src-shared/ipc.ts with its handler: createCore checks its table against this */
export type HandlerTable = { [K in IpcOperation]: Handler<K> };

/** the part of the table for the operations named `${domain}.…`, nothing more, nothing less */
export type DomainHandlers<Domain extends string> = Pick<
  HandlerTable,
  Extract<IpcOperation, `${Domain}.${string}`>
>;

export type LocalCollector = Awaited<ReturnType<NonNullable<CoreOptions['startLocalCollector']>>>;

/** What the handler maps share: the core's state and services, owned and wired by createCore. */
export interface CoreContext {
  readonly cache: Cache;
  readonly secrets: SecretStore;
  readonly options: CoreOptions;
  readonly runner: OutboxRunner;
  readonly properties: PropertyService;
  readonly offers: OfferService;
  /** read on every call: the client is replaced when the agent connects another collector */
  client(): CollectorClient | null;
  emit(e: CoreEvent): void;
  /** emits status.changed only when the status differs from the last one emitted */
  emitStatus(): void;
  status(): StatusDto;
  /** checks url + token against the collector, then stores them and restarts the sync */
  connectCollector(url: string, token: string | undefined): Promise<Result<null>>;
  /** closes the embedded test collector (if any) and starts a fresh one; null where the adapter offers none */
  restartLocalCollector(): Promise<LocalCollector | null>;
}

export const notConfigured = (what: 'mail' | 'collector'): AppError =>
  what === 'mail'
    ? { code: 'mail_not_configured', message: msg('mailNotConfigured') }
    : { code: 'collector_not_configured', message: msg('collectorNotConfigured') };

export const activityNotFound = (activityId: string): AppError => ({
  code: 'not_found',
  message: msg('activityNotFound'),
  detail: activityId,
});

/** a new activity is persisted in the outbox: tell the UI and the step observer, then wake the runner */
export async function announceQueued(ctx: CoreContext, activityId: string): Promise<void> {
  ctx.emit({ kind: 'activity.changed', activityId });
  ctx.emitStatus();
  await ctx.options.onOutboxStep?.({ activityId, state: 'queued' });
  ctx.runner.kick();
}
