import { msg } from '../../src-shared/messages';
import { join } from 'node:path';
import type { z } from 'zod';
import type { MeResponse } from '../../src-shared/api';
import { countsAsPerson, isMailboxEventType } from '../../src-shared/events';
import { decorateFeedItem, localSignalEvent } from './mailbox/feed';
import { createMailboxService } from './mailbox/service';
import { mailboxAccountKey, mailboxPrefs, recordScan } from './mailbox/settings';
import {
  ipcOperations,
  type CoreEvent,
  type IpcOperation,
  type IpcResult,
  type StatusDto,
} from '../../src-shared/ipc';
import { err, ok, type Result } from '../../src-shared/result';
import { DEFAULT_TIMING, type CoreApi, type CoreLogger, type CoreOptions, type CoreTiming } from './api';
import { openCache, type Cache } from './cache';
import { createCollectorClient, type CollectorClient } from './collector/client';
import { feedItem, personName } from './feed/build';
import { activitiesHandlers } from './handlers/activities';
import { composeHandlers } from './handlers/compose';
import type { CoreContext, HandlerTable, LocalCollector } from './handlers/context';
import { draftsHandlers } from './handlers/drafts';
import { evidenceHandlers } from './handlers/evidence';
import { longTextHandlers } from './handlers/long-text';
import { privacyHandlers } from './handlers/privacy';
import { feedHandlers } from './handlers/feed';
import { consentHandlers } from './handlers/consent';
import { createConsentService } from './consent/service';
import { landingHandlers } from './handlers/landing';
import { legalHandlers } from './handlers/legal';
import { offersHandlers } from './handlers/offers';
import { outboxHandlers } from './handlers/outbox';
import { propertiesHandlers } from './handlers/properties';
import { settingsHandlers } from './handlers/settings';
import { trackingDomainHandlers } from './handlers/tracking-domain';
import { createTrackingDomainSync } from './tracking-domain';
import { statusHandlers } from './handlers/status';
import { createNotificationHold } from './notify/hold';
import { createNotificationPolicy, type AppliedEvent } from './notify/policy';
import { createTranslator } from './i18n';
import { createOutboxRunner } from './outbox/runner';
import { createOfferService } from './offers/service';
import { createLandingService } from './landing/service';
import { createPropertyService } from './properties/service';
import {
  KEYS,
  SECRET_KEYS,
  bindLegacySecrets,
  mailAccountWithSecrets,
  notificationPrefs,
  storedCollectorToken,
  uiLanguage,
  type StoredMailAccount,
} from './settings';
import { collectorUrlProblem } from './collector/url-policy';
import { collectorOrigin, setBoundSecret } from './secrets/bound';
import type { AppliedChange } from './sync/apply';
import { CURSOR_KEY } from './sync/apply';
import { createSync, INITIAL_SYNC_DONE_KEY, LAST_SYNC_KEY } from './sync/sync';

export type { CoreApi, CoreOptions, SecretStore, Notifier } from './api';
export { createFileSecretStore } from './secrets/file-store';

const consoleLogger: CoreLogger = {
  info: () => undefined,
  warn: (o, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...o })),
  error: (o, msg) => console.error(JSON.stringify({ level: 'error', msg, ...o })),
};

/** The desktop core: one handler table for the Electron IPC adapter and the browser host alike. */
export function createCore(options: CoreOptions): CoreApi {
  const log = options.log ?? consoleLogger;
  const timing: CoreTiming = { ...DEFAULT_TIMING, ...options.timing };
  const { secrets } = options;
  const cache: Cache = openCache(join(options.dataDir, 'cache.sqlite'));
  const listeners = new Set<(e: CoreEvent) => void>();
  const policy = createNotificationPolicy(timing.burstWindowMs, createTranslator());
  let client: CollectorClient | null = null;
  let localCollector: LocalCollector | null = null;
  let lastStatus = '';
  let started = false;

  const emit = (e: CoreEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (x) {
        log.error({ err: x instanceof Error ? x.message : String(x) }, 'core: listener threw');
      }
    }
  };

  const status = (): StatusDto => ({
    configured: cache.meta.get(KEYS.mailAccount) !== null,
    collectorReachable: sync.isReachable(),
    lastSyncAt: cache.meta.get<string>(LAST_SYNC_KEY),
    syncing: sync.isSyncing(),
    syncProgress: sync.progress(),
    outboxPending: cache.outbox.pendingCount(),
  });
  const emitStatus = () => {
    const s = status();
    const key = JSON.stringify(s);
    if (key === lastStatus) return;
    lastStatus = key;
    emit({ kind: 'status.changed', status: s });
  };

  const properties = createPropertyService(cache, options.dataDir);
  const offers = createOfferService({ cache, dataDir: options.dataDir, properties, collector: () => client });

  const landing = createLandingService({
    cache,
    collector: () => client,
    log,
    onQueued: async (activityId) => {
      emit({ kind: 'activity.changed', activityId });
      emitStatus();
      await options.onOutboxStep?.({ activityId, state: 'queued' });
      runner.kick();
    },
  });

  const runner = createOutboxRunner({
    cache,
    offers,
    confirmations: landing,
    collector: () => client,
    mailAccount: async () => {
      const stored = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
      return stored ? mailAccountWithSecrets(stored, secrets) : null;
    },
    onTrackingDisabled: () => {
      cache.meta.set(KEYS.trackingEnabled, false);
      emit({ kind: 'settings.changed' });
    },
    ...(options.mailOptions ? { mailOptions: options.mailOptions } : {}),
    timing,
    log,
    onStep: async (activityId, state) => {
      emit({ kind: 'activity.changed', activityId });
      emitStatus();
      await options.onOutboxStep?.({ activityId, state });
    },
  });

  const trackingDomainSync = createTrackingDomainSync({
    cache,
    collector: () => client,
    log,
    onChanged: () => emit({ kind: 'settings.changed' }),
  });
  // issue 17: contacts' tracking modes and the account's consent settings, pulled after each sync pass
  const consent = createConsentService({
    cache,
    collector: () => client,
    log,
    onChanged: () => emit({ kind: 'settings.changed' }),
  });

  const sync = createSync({
    cache,
    collector: () => client,
    timing,
    log,
    onApplied: (changes, newActivities, history) => onApplied(changes, newActivities, history),
    onStatus: ({ reachable, syncing }) => {
      if (reachable === true) runner.collectorBack();
      // after each pull: declarations to confirm by mail, locks set offline
      if (reachable === true && !syncing) void landing.poll();
      // issue 20: another desktop's admin may have changed the tracking domain
      if (reachable === true && !syncing) void trackingDomainSync.poll();
      // issue 17: contacts' tracking modes and the account's consent settings
      if (reachable === true && !syncing) void consent.poll();
      emitStatus();
    },
  });

  // issue 19: replies, bounces and out-of-office answers from the agent's own INBOX
  const mailbox = createMailboxService({
    cache,
    collector: () => client,
    watched: async () => {
      const stored = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
      if (!stored) return null;
      const prefs = mailboxPrefs(cache, stored.imap);
      if (!prefs.enabled) return null;
      const account = await mailAccountWithSecrets(stored, secrets);
      if (!account.imap.password) return null;
      return { account, key: mailboxAccountKey(stored.imap), folder: prefs.folder };
    },
    ...(options.mailOptions ? { mailOptions: options.mailOptions } : {}),
    ...(options.mailboxTiming ? { timing: options.mailboxTiming } : {}),
    log,
    onNew: (signals, history) => {
      const fresh: AppliedEvent[] = [];
      for (const sig of signals) {
        const a = cache.activities.get(sig.activityId);
        if (!a) continue;
        const e = localSignalEvent(sig);
        const item = decorateFeedItem(feedItem(e, a.recipients, !history), e, sig);
        emit({ kind: 'feed.event', activityId: sig.activityId, item });
        emit({ kind: 'activity.changed', activityId: sig.activityId });
        fresh.push({ event: e, activityId: sig.activityId, subject: a.subject, personName: item.personName });
      }
      notify(fresh, history);
      recordScan(cache, new Date().toISOString(), null);
    },
    onReported: (event, sig) => {
      cache.events.apply(event);
      emit({ kind: 'activity.changed', activityId: sig.activityId });
    },
  });

  function onApplied(changes: AppliedChange[], newActivities: string[], history: boolean): void {
    const touched = new Set<string>(newActivities);
    const recipientsOf = new Map<string, ReturnType<Cache['activities']['get']>>();
    const activity = (id: string) => {
      if (!recipientsOf.has(id)) recipientsOf.set(id, cache.activities.get(id));
      return recipientsOf.get(id) ?? null;
    };
    const fresh: AppliedEvent[] = [];
    for (const c of changes) {
      if (
        c.outcome === 'inserted' &&
        c.event.type === 'landing.legal_confirmed' &&
        c.event.detail.confirmation === 'contact_permission' &&
        c.event.recipientEmail
      )
        landing.contactPermission(c.event.recipientEmail, c.event.occurredAt);
      if (!c.activityId) continue;
      const a = activity(c.activityId);
      if (!a) continue;
      touched.add(c.activityId);
      if (!history) {
        const isNew = countsAsPerson(c.event.client.verdict);
        const item = decorateFeedItem(
          feedItem(c.event, a.recipients, isNew),
          c.event,
          isMailboxEventType(c.event.type) ? (mailbox.repo.get(c.event.id) ?? undefined) : undefined,
        );
        emit({ kind: 'feed.event', activityId: c.activityId, item });
      }
      // issue 19: a signal this computer read itself was announced when it was read
      if (c.outcome === 'inserted' && !(isMailboxEventType(c.event.type) && mailbox.repo.get(c.event.id))) {
        fresh.push({
          event: c.event,
          activityId: c.activityId,
          subject: a.subject,
          personName: personName(a.recipients, c.event.recipientEmail),
        });
      }
    }
    notify(history ? fresh : hold.admit(fresh), history);
    for (const id of touched) emit({ kind: 'activity.changed', activityId: id });
  }

  function notify(events: AppliedEvent[], history: boolean): void {
    for (const n of policy.decide(events, notificationPrefs(cache), history, uiLanguage(cache))) {
      options.notifier.notify(n);
      emit({ kind: 'notification', ...n });
    }
  }

  // issue 21: person's verdicts a later hit could still overturn wait (≤ 30 s), are read again
  // after one more pull and notify only if they still count as the person
  const hold = createNotificationHold({
    refresh: async () => {
      sync.poke();
      await sync.idle();
    },
    current: (id) => cache.events.get(id)?.event ?? null,
    release: (events) => {
      notify(events, false);
      // the feed drops the „wird geprüft“ mark (a revised verdict came with the pull already): an
      // open feed reloads on activity.changed (feed.event only adds items it does not have yet)
      const touched = new Set<string>();
      for (const e of events) {
        const a = cache.activities.get(e.activityId);
        if (a)
          emit({ kind: 'feed.event', activityId: e.activityId, item: feedItem(e.event, a.recipients, true) });
        touched.add(e.activityId);
      }
      for (const id of touched) emit({ kind: 'activity.changed', activityId: id });
    },
    log,
  });

  async function loadClient(): Promise<void> {
    const url = cache.meta.get<string>(KEYS.collectorUrl);
    const token = await storedCollectorToken(url, secrets);
    client =
      url && token
        ? createCollectorClient({ baseUrl: url, token, timeoutMs: timing.requestTimeoutMs })
        : null;
  }

  /** checks url + token against the collector, then stores them and restarts the sync */
  async function connectCollector(url: string, token: string | undefined): Promise<Result<null>> {
    const refused = collectorUrlProblem(url);
    if (refused) return err(refused);
    // the stored token only for the collector it was saved for: a new address asks for it again
    const tok = token ?? (await storedCollectorToken(url, secrets));
    if (!tok)
      return err({
        code: 'collector_token_missing',
        message: msg('collectorTokenMissing'),
      });
    const candidate = createCollectorClient({ baseUrl: url, token: tok, timeoutMs: timing.requestTimeoutMs });
    const me = await candidate.me();
    if (!me.ok) return me;
    const settings = await candidate.getSettings();
    if (!settings.ok) return settings;
    await setBoundSecret(secrets, SECRET_KEYS.collectorToken, collectorOrigin(candidate.baseUrl), tok);
    const prevMe = cache.meta.get<MeResponse>(KEYS.me);
    cache.tx(() => {
      if (!prevMe || prevMe.userId !== me.value.userId || prevMe.accountId !== me.value.accountId) {
        // another user or account: its sequence numbers mean nothing against our cursor (the
        // same collector under a new address, e.g. the local test mode on a new port, keeps it)
        cache.meta.delete(CURSOR_KEY);
        cache.meta.delete(INITIAL_SYNC_DONE_KEY);
      }
      cache.meta.set(KEYS.collectorUrl, candidate.baseUrl);
      cache.meta.set(KEYS.me, me.value);
      cache.meta.set(KEYS.trackingEnabled, settings.value.trackingEnabled);
      cache.meta.set(KEYS.sharesNetwork, settings.value.sharesNetworkWithProspects === true);
    });
    await sync.stop();
    client = candidate;
    if (started) sync.start();
    // issue 20: the account's tracking domain, at once (not a minute after the first pull)
    await trackingDomainSync.poll(true);
    emit({ kind: 'settings.changed' });
    return ok(null);
  }

  async function restartLocalCollector(): Promise<LocalCollector | null> {
    if (!options.startLocalCollector) return null;
    if (localCollector) await localCollector.close();
    const lc = await options.startLocalCollector(join(options.dataDir, 'local-collector'));
    localCollector = lc;
    return lc;
  }

  const ctx: CoreContext = {
    cache,
    secrets,
    options,
    runner,
    properties,
    offers,
    client: () => client,
    emit,
    emitStatus,
    status,
    connectCollector,
    restartLocalCollector,
  };
  const handlers = {
    ...statusHandlers(ctx),
    ...settingsHandlers(ctx),
    ...trackingDomainHandlers(ctx),
    ...activitiesHandlers(ctx),
    ...feedHandlers(ctx),
    ...composeHandlers(ctx),
    ...propertiesHandlers(ctx),
    ...legalHandlers(ctx),
    ...landingHandlers(ctx, landing),
    ...consentHandlers(ctx, consent),
    ...offersHandlers(ctx),
    ...outboxHandlers(ctx),
    ...draftsHandlers(ctx),
    ...longTextHandlers(ctx),
    ...evidenceHandlers(ctx),
    ...privacyHandlers(ctx),
  } satisfies HandlerTable;
  const setMailboxSignals = handlers['settings.setMailboxSignals'];
  handlers['settings.setMailboxSignals'] = async (args) => {
    const r = await setMailboxSignals(args);
    mailbox.wake();
    return r;
  };
  // spread properties escape the excess-property check of `satisfies`: an operation that ipc.ts
  // does not define fails to compile here instead
  const _noExtraOperation: [Exclude<keyof typeof handlers, IpcOperation>] extends [never] ? true : never =
    true;

  // the collector client needs the token from the (async) secret store
  const ready = bindLegacySecrets(cache, secrets)
    .then(loadClient)
    .catch((e: unknown) => {
      log.error(
        { err: e instanceof Error ? e.message : String(e) },
        'core: reading the collector token failed',
      );
    });

  return {
    async dispatch<K extends IpcOperation>(op: K, rawArgs: unknown): Promise<Result<IpcResult<K>>> {
      const entry = (ipcOperations as Record<string, readonly [z.ZodType, z.ZodType]>)[op];
      if (!entry)
        return err({ code: 'unknown_operation', message: msg('unknownOperation'), detail: String(op) });
      const parsed = entry[0].safeParse(rawArgs === undefined ? {} : rawArgs);
      if (!parsed.success) {
        return err({
          code: 'invalid_arguments',
          message: msg('invalidInput'),
          detail: `${op}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        });
      }
      const handler = handlers[op] as (a: unknown) => Promise<Result<IpcResult<K>>>;
      await ready;
      try {
        return await handler(parsed.data);
      } catch (e) {
        log.error({ op, err: e instanceof Error ? e.stack : String(e) }, 'core: handler failed');
        return err({
          code: 'internal_error',
          message: msg('internalError'),
          detail: e instanceof Error ? e.message : String(e),
        });
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (started) return;
      started = true;
      await ready;
      if (cache.meta.get<boolean>(KEYS.localTestMode) && options.startLocalCollector) {
        try {
          const lc = await options.startLocalCollector(join(options.dataDir, 'local-collector'));
          localCollector = lc;
          const r = await connectCollector(lc.url, lc.adminToken);
          if (!r.ok)
            log.error(
              { code: r.error.code, detail: r.error.detail },
              'core: local test collector refused us',
            );
        } catch (e) {
          log.error(
            { err: e instanceof Error ? e.message : String(e) },
            'core: local test collector did not start',
          );
        }
      }
      await loadClient();
      const interrupted = runner.recoverInterrupted();
      for (const id of interrupted) emit({ kind: 'activity.changed', activityId: id });
      // before the agent enters a collector, so that the first sync does not wait for its threads
      sync.prestart();
      sync.start();
      runner.kick();
      mailbox.start();
      emitStatus();
    },
    /** issue 19: reads the INBOX now and resolves when done (tests, and „Jetzt prüfen“) */
    async scanMailbox() {
      const st = await mailbox.scanNow();
      recordScan(cache, st.lastScanAt, st.error);
      return st;
    },
    async stop() {
      started = false;
      hold.stop();
      await hold.idle();
      await sync.close();
      await runner.stop();
      await mailbox.stop();
      if (localCollector) await localCollector.close().catch(() => undefined);
      localCollector = null;
      cache.close();
    },
  };
}
