import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { z } from 'zod';
import type { MeResponse } from '../../src-shared/api';
import { countsAsPerson } from '../../src-shared/events';
import {
  ipcOperations,
  type ActivityDto,
  type CoreEvent,
  type IpcOperation,
  type IpcResult,
  type StatusDto,
} from '../../src-shared/ipc';
import { err, ok, type AppError, type Result } from '../../src-shared/result';
import { DEFAULT_TIMING, type CoreApi, type CoreLogger, type CoreOptions, type CoreTiming } from './api';
import { openCache, type Cache } from './cache';
import { createCollectorClient, type CollectorClient } from './collector/client';
import { buildFeed, feedItem, personName } from './feed/build';
import { testConnection } from './mail';
import { createNotificationPolicy, type AppliedEvent } from './notify/policy';
import { createOutboxRunner } from './outbox/runner';
import { resolveOutbox } from './outbox/resolve';
import { legalDto, saveAgentProfile, saveWiderrufText } from './legal/service';
import { createOfferService } from './offers/service';
import { createPropertyService } from './properties/service';
import {
  KEYS,
  SECRET_KEYS,
  mailAccountWithSecrets,
  notificationPrefs,
  settingsDto,
  stripPasswords,
  trackingEnabled,
  type StoredMailAccount,
} from './settings';
import type { AppliedChange } from './sync/apply';
import { CURSOR_KEY } from './sync/apply';
import { createSync, INITIAL_SYNC_DONE_KEY, LAST_SYNC_KEY } from './sync/sync';

export type { CoreApi, CoreOptions, SecretStore, Notifier } from './api';
export { createFileSecretStore } from './secrets/file-store';

type Args<K extends IpcOperation> = z.output<(typeof ipcOperations)[K][0]>;
type HandlerTable = { [K in IpcOperation]: (args: Args<K>) => Promise<Result<IpcResult<K>>> };

const consoleLogger: CoreLogger = {
  info: () => undefined,
  warn: (o, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...o })),
  error: (o, msg) => console.error(JSON.stringify({ level: 'error', msg, ...o })),
};

const notConfigured = (what: 'mail' | 'collector'): AppError =>
  what === 'mail'
    ? { code: 'mail_not_configured', message: 'Bitte zuerst ein E-Mail-Konto einrichten.' }
    : { code: 'collector_not_configured', message: 'Bitte zuerst einen Tracking-Server einrichten.' };

/** The desktop core: one handler table for the Electron IPC adapter and the browser host alike. */
export function createCore(options: CoreOptions): CoreApi {
  const log = options.log ?? consoleLogger;
  const timing: CoreTiming = { ...DEFAULT_TIMING, ...options.timing };
  const { secrets } = options;
  const cache: Cache = openCache(join(options.dataDir, 'cache.sqlite'));
  const listeners = new Set<(e: CoreEvent) => void>();
  const policy = createNotificationPolicy(timing.burstWindowMs);
  let client: CollectorClient | null = null;
  let localCollector: { close(): Promise<void> } | null = null;
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

  const runner = createOutboxRunner({
    cache,
    offers,
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

  const sync = createSync({
    cache,
    collector: () => client,
    timing,
    log,
    onApplied: (changes, newActivities, history) => onApplied(changes, newActivities, history),
    onStatus: ({ reachable }) => {
      if (reachable) runner.collectorBack();
      emitStatus();
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
      if (!c.activityId) continue;
      const a = activity(c.activityId);
      if (!a) continue;
      touched.add(c.activityId);
      if (!history) {
        const isNew = countsAsPerson(c.event.client.verdict);
        emit({ kind: 'feed.event', activityId: c.activityId, item: feedItem(c.event, a.recipients, isNew) });
      }
      if (c.outcome === 'inserted') {
        fresh.push({
          event: c.event,
          activityId: c.activityId,
          subject: a.subject,
          personName: personName(a.recipients, c.event.recipientEmail),
        });
      }
    }
    for (const n of policy.decide(fresh, notificationPrefs(cache), history)) {
      options.notifier.notify(n);
      emit({ kind: 'notification', ...n });
    }
    for (const id of touched) emit({ kind: 'activity.changed', activityId: id });
  }

  async function loadClient(): Promise<void> {
    const url = cache.meta.get<string>(KEYS.collectorUrl);
    const token = await secrets.get(SECRET_KEYS.collectorToken);
    client =
      url && token
        ? createCollectorClient({ baseUrl: url, token, timeoutMs: timing.requestTimeoutMs })
        : null;
  }

  /** checks url + token against the collector, then stores them and restarts the sync */
  async function connectCollector(url: string, token: string | undefined): Promise<Result<null>> {
    const tok = token ?? (await secrets.get(SECRET_KEYS.collectorToken));
    if (!tok)
      return err({
        code: 'collector_token_missing',
        message: 'Bitte den Zugangsschlüssel des Tracking-Servers eintragen.',
      });
    const candidate = createCollectorClient({ baseUrl: url, token: tok, timeoutMs: timing.requestTimeoutMs });
    const me = await candidate.me();
    if (!me.ok) return me;
    const settings = await candidate.getSettings();
    if (!settings.ok) return settings;
    await secrets.set(SECRET_KEYS.collectorToken, tok);
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
    });
    await sync.stop();
    client = candidate;
    if (started) sync.start();
    emit({ kind: 'settings.changed' });
    return ok(null);
  }

  const settingsResult = async () => ok(await settingsDto(cache, secrets));
  const activityOrError = (id: string): Result<ActivityDto> => {
    const a = cache.activities.dto(id);
    return a
      ? ok(a)
      : err({ code: 'not_found', message: 'Diese Aktivität gibt es nicht (mehr).', detail: id });
  };

  const handlers = {
    'status.get': async () => ok(status()),
    'settings.get': settingsResult,
    'settings.saveMailAccount': async (input) => {
      if (input.smtp.password !== undefined) await secrets.set(SECRET_KEYS.smtpPassword, input.smtp.password);
      if (input.imap.password !== undefined) await secrets.set(SECRET_KEYS.imapPassword, input.imap.password);
      cache.meta.set(KEYS.mailAccount, stripPasswords(input));
      emit({ kind: 'settings.changed' });
      emitStatus();
      runner.kick();
      return settingsResult();
    },
    'settings.testMailAccount': async (input) => {
      const report = await testConnection(await mailAccountWithSecrets(input, secrets), options.mailOptions);
      return ok(report);
    },
    'settings.saveCollector': async (input) => {
      const r = await connectCollector(input.url, input.token);
      if (!r.ok) return r;
      runner.kick();
      return settingsResult();
    },
    'settings.setTrackingEnabled': async ({ enabled }) => {
      const me = cache.meta.get<MeResponse>(KEYS.me);
      if (!client || !me) return err(notConfigured('collector'));
      if (me.role !== 'admin') {
        return err({
          code: 'forbidden',
          message: 'Nur ein Administrator kann das Tracking für das Konto umschalten.',
        });
      }
      const r = await client.putSettings({ trackingEnabled: enabled });
      if (!r.ok) return r;
      cache.meta.set(KEYS.trackingEnabled, r.value.trackingEnabled);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.setNotificationPrefs': async (prefs) => {
      cache.meta.set(KEYS.notifications, prefs);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.setLanguage': async ({ language }) => {
      cache.meta.set(KEYS.language, language);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'settings.startLocalTestMode': async () => {
      if (!options.startLocalCollector) {
        return err({
          code: 'local_test_mode_unavailable',
          message: 'Der lokale Testmodus ist hier nicht verfügbar.',
        });
      }
      if (localCollector) await localCollector.close();
      const lc = await options.startLocalCollector(join(options.dataDir, 'local-collector'));
      localCollector = lc;
      const r = await connectCollector(lc.url, lc.adminToken);
      if (!r.ok) return r;
      cache.meta.set(KEYS.localTestMode, true);
      emit({ kind: 'settings.changed' });
      return settingsResult();
    },
    'activities.list': async ({ query, filter }) => ok(cache.activities.list(query, filter)),
    'feed.get': async ({ activityId }) => {
      const a = cache.activities.get(activityId);
      if (!a)
        return err({
          code: 'not_found',
          message: 'Diese Aktivität gibt es nicht (mehr).',
          detail: activityId,
        });
      return ok(buildFeed(activityId, cache.events.forActivity(activityId), a.recipients, a.seenLocalId));
    },
    'feed.markSeen': async ({ activityId }) => {
      if (!cache.activities.exists(activityId))
        return err({
          code: 'not_found',
          message: 'Diese Aktivität gibt es nicht (mehr).',
          detail: activityId,
        });
      cache.activities.markSeen(activityId);
      emit({ kind: 'activity.changed', activityId });
      return ok({ activityId });
    },
    'feed.correctVerdict': async ({ eventId, verdict }) => {
      if (!client) return err(notConfigured('collector'));
      const stored = cache.events.get(eventId);
      if (!stored)
        return err({ code: 'not_found', message: 'Dieses Ereignis ist nicht bekannt.', detail: eventId });
      const r = await client.correctVerdict(eventId, verdict);
      if (!r.ok) return r;
      cache.events.apply(r.value);
      const activityId = cache.activities.activityIdForMessage(r.value.messageId);
      const a = activityId ? cache.activities.get(activityId) : null;
      const item = feedItem(r.value, a?.recipients ?? [], false);
      if (activityId) {
        emit({ kind: 'feed.event', activityId, item });
        emit({ kind: 'activity.changed', activityId });
      }
      return ok(item);
    },
    'contacts.suggest': async ({ query }) => ok(cache.contacts.suggest(query)),
    'compose.send': async (input) => {
      const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
      if (!account) return err(notConfigured('mail'));
      const seen = new Set<string>();
      const known = new Map(cache.contacts.suggest('', 100_000).map((c) => [c.email.toLowerCase(), c.name]));
      const recipients = (['to', 'cc', 'bcc'] as const).flatMap((kind) =>
        input[kind].flatMap((email) => {
          const k = email.toLowerCase();
          if (seen.has(k)) return [];
          seen.add(k);
          const given = input.recipientNames?.[email]?.trim();
          return [{ kind, email, name: given ? given : (known.get(k) ?? null) }];
        }),
      );
      const tracked = input.track && trackingEnabled(cache) && client !== null;
      const id = randomUUID();
      const domain = account.fromEmail.split('@')[1] ?? 'blitz.local';
      const createdAt = new Date().toISOString();
      cache.tx(() => {
        cache.activities.insert({
          id,
          kind: 'email',
          subject: input.subject,
          html: input.html ?? null,
          text: input.text ?? (input.html === undefined ? '' : null),
          trackRequested: input.track,
          tracked,
          sentIndividually: input.sendIndividually,
          messageId: `<${id}@${domain}>`,
          createdAt,
          sentAt: null,
          fromOtherDevice: false,
          recipients,
          attachments: input.attachments.map((f) => ({
            filename: f.filename,
            contentType: f.contentType,
            content: Buffer.from(f.contentBase64, 'base64'),
          })),
        });
        cache.outbox.create(id, createdAt);
        cache.contacts.remember(recipients, createdAt);
      });
      emit({ kind: 'activity.changed', activityId: id });
      emitStatus();
      await options.onOutboxStep?.({ activityId: id, state: 'queued' });
      runner.kick();
      return ok({ activityId: id });
    },
    'properties.list': async () => ok(properties.list()),
    'properties.get': async ({ id }) => properties.get(id),
    'properties.save': async (input) => properties.save(input),
    'properties.delete': async ({ id }) => properties.delete(id),
    'properties.addFile': async (input) => properties.addFile(input),
    'properties.removeFile': async ({ propertyId, fileId }) => properties.removeFile(propertyId, fileId),
    'properties.readFile': async ({ propertyId, fileId }) => {
      const r = properties.readFile(propertyId, fileId);
      return r.ok ? ok({ contentType: r.value.contentType, contentBase64: r.value.contentBase64 }) : r;
    },
    'properties.importOpenImmo': async (input) => properties.importOpenImmo(input),
    'legal.get': async () => legalDto(cache),
    'legal.saveText': async ({ text }) => saveWiderrufText(cache, text),
    'legal.saveProfile': async (profile) => saveAgentProfile(cache, profile),
    'offers.preview': async (input) => offers.preview(input),
    'offers.send': async (input) => {
      const r = await offers.send(input);
      if (!r.ok) return r;
      const id = r.value.activityId;
      emit({ kind: 'activity.changed', activityId: id });
      emitStatus();
      await options.onOutboxStep?.({ activityId: id, state: 'queued' });
      runner.kick();
      return ok({ activityId: id });
    },
    'outbox.resolve': async ({ activityId, action }) => {
      if (runner.busy(activityId)) {
        return err({
          code: 'outbox_busy',
          message: 'Diese E-Mail wird gerade bearbeitet. Bitte gleich noch einmal versuchen.',
        });
      }
      const before = cache.activities.dto(activityId);
      const r = resolveOutbox(cache, activityId, action);
      if (!r.ok) return r;
      emit({ kind: 'activity.changed', activityId });
      emitStatus();
      runner.kick();
      if (r.value.deleted && before) return ok({ ...before, outboxState: null, outboxError: null });
      return activityOrError(activityId);
    },
  } satisfies HandlerTable;

  // the collector client needs the token from the (async) secret store
  const ready = loadClient().catch((e: unknown) => {
    log.error(
      { err: e instanceof Error ? e.message : String(e) },
      'core: reading the collector token failed',
    );
  });

  return {
    async dispatch<K extends IpcOperation>(op: K, rawArgs: unknown): Promise<Result<IpcResult<K>>> {
      const entry = (ipcOperations as Record<string, readonly [z.ZodType, z.ZodType]>)[op];
      if (!entry)
        return err({ code: 'unknown_operation', message: 'Unbekannte Operation.', detail: String(op) });
      const parsed = entry[0].safeParse(rawArgs === undefined ? {} : rawArgs);
      if (!parsed.success) {
        return err({
          code: 'invalid_arguments',
          message: 'Ungültige Eingabe.',
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
          message: 'Interner Fehler.',
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
      sync.start();
      runner.kick();
      emitStatus();
    },
    async stop() {
      started = false;
      await sync.stop();
      await runner.stop();
      if (localCollector) await localCollector.close().catch(() => undefined);
      localCollector = null;
      cache.close();
    },
  };
}
