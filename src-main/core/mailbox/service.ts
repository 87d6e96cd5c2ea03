import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { TrackingEvent } from '../../../src-shared/events';
import type { AppError } from '../../../src-shared/result';
import type { CoreLogger } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import type { MailAccount, MailConnectOptions } from '../mail';
import { imapError } from '../mail/errors';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../mail/smtp';
import { classifyMail } from './classify';
import { resolveSignals } from './resolve';
import { scanFolder, type ScanResult } from './scan';
import { createMailboxRepo, type LocalSignal } from '../cache/mailbox';

export interface WatchedAccount {
  account: MailAccount;
  /** the account's key: its IMAP origin (src-main/core/secrets/bound.ts mailOrigin) */
  key: string;
  folder: string;
}

export interface MailboxTiming {
  /** without IDLE: how often the folder is read again */
  pollMs: number;
  /** with IDLE: the longest IDLE before the folder is read again anyway (servers drop idle ones) */
  idleMs: number;
  /** after a failed connection, doubled up to 16 × */
  retryMs: number;
}

/** how long a signal for an activity not synced here yet is looked for again (see awaitsActivity) */
const HOLD_MS = 2 * 24 * 3600_000;

export const DEFAULT_MAILBOX_TIMING: MailboxTiming = { pollMs: 120_000, idleMs: 240_000, retryMs: 30_000 };

export interface MailboxServiceDeps {
  cache: Cache;
  collector: () => CollectorClient | null;
  /** the account to watch, or null (none configured, or the agent switched the watch off) */
  watched: () => Promise<WatchedAccount | null>;
  mailOptions?: MailConnectOptions;
  timing?: Partial<MailboxTiming>;
  log: CoreLogger;
  /** new signals; `history`: found by a folder's first scan (no notification for those) */
  onNew(signals: LocalSignal[], history: boolean): void;
  /** the collector stored a signal: its event, to apply to the cache */
  onReported(event: TrackingEvent, signal: LocalSignal): void;
}

export interface MailboxState {
  scanning: boolean;
  lastScanAt: string | null;
  lastScan: Omit<ScanResult, 'cursor'> | null;
  error: AppError | null;
  idle: boolean;
}

/**
 * Issue 19: watches the agent's INBOX for replies, bounces and automatic answers to mail Blitz
 * sent. One long-lived IMAP connection: a scan after connecting, then IDLE where the server
 * offers it (a new mail wakes it), polling otherwise. Strictly read-only (see scan.ts).
 */
export function createMailboxService(deps: MailboxServiceDeps) {
  const repo = createMailboxRepo(deps.cache.db);
  const timing: MailboxTiming = { ...DEFAULT_MAILBOX_TIMING, ...deps.timing };
  const state: MailboxState = { scanning: false, lastScanAt: null, lastScan: null, error: null, idle: false };
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  /** scanNow callers: each waits for a scan that STARTED after it asked (`from`: that scan's number) */
  const scanWaiters: { from: number; resolve: () => void }[] = [];
  let scansStarted = 0;
  /** a scan numbered `n` ended (or, without `n`, none can run now: no account, a failure) */
  const settleWaiters = (n?: number) => {
    for (let i = scanWaiters.length - 1; i >= 0; i--) {
      const w = scanWaiters[i]!;
      if (n === undefined || w.from <= n) {
        scanWaiters.splice(i, 1);
        w.resolve();
      }
    }
  };
  let current: ImapFlow | null = null;

  const sleep = (ms: number, extra?: Promise<unknown>) =>
    new Promise<void>((resolve) => {
      // stop() may have run while the loop was between awaits (no sleep to wake then)
      if (!running) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
      void extra?.then(done, done);
    });

  async function processMails(
    w: WatchedAccount,
    mails: { uid: number; source: Buffer; internalDate: Date | null }[],
    history: boolean,
  ): Promise<number | null> {
    const fresh: LocalSignal[] = [];
    let hold: number | null = null;
    for (const m of mails) {
      let classified;
      try {
        classified = await classifyMail(m.source);
      } catch (e) {
        deps.log.warn(
          { uid: m.uid, err: e instanceof Error ? e.message : String(e) },
          'mailbox: unreadable mail skipped',
        );
        continue;
      }
      if (!classified) continue;
      const signals = resolveSignals(repo, classified, {
        account: w.key,
        folder: w.folder,
        uid: m.uid,
        internalDate: m.internalDate,
      });
      deps.cache.tx(() => {
        for (const s of signals) if (repo.insert(s)) fresh.push(s);
      });
      if (signals.length === 0 && awaitsActivity(classified.references, m.internalDate))
        hold = hold === null ? m.uid : Math.min(hold, m.uid);
    }
    if (fresh.length > 0) deps.onNew(fresh, history);
    return hold;
  }

  /**
   * A recent mail naming a Message-ID of Blitz's form whose activity this computer does not know
   * yet: sent from another desktop of the agent and not synced here yet. It is read again next
   * time instead of being passed over for good; after HOLD_MS it is given up (a deleted activity).
   */
  function awaitsActivity(references: readonly string[], internalDate: Date | null): boolean {
    if (internalDate && Date.now() - internalDate.getTime() > HOLD_MS) return false;
    return references.some((id) => repo.isOwnMessageId(id) && repo.sentMessage(id) === null);
  }

  async function scan(client: ImapFlow, w: WatchedAccount): Promise<void> {
    state.scanning = true;
    const n = ++scansStarted;
    try {
      await readFolder(client, w);
      await reportPending();
    } finally {
      settleWaiters(n);
    }
  }

  async function readFolder(client: ImapFlow, w: WatchedAccount): Promise<void> {
    try {
      const before = repo.cursor(w.key, w.folder);
      let history = before === null;
      const result = await scanFolder(
        client,
        w.folder,
        before,
        (id) => repo.isOwnMessageId(id),
        async (mails) => processMails(w, mails, history),
      );
      if (result.reset) {
        history = true;
        deps.log.info({ folder: w.folder }, 'mailbox: UIDVALIDITY changed, folder read again');
      }
      repo.setCursor(w.key, w.folder, result.cursor);
      state.lastScanAt = result.cursor.scannedAt;
      state.lastScan = { scanned: result.scanned, fetched: result.fetched, reset: result.reset };
      state.error = null;
    } finally {
      state.scanning = false;
    }
  }

  /** tells the collector what it does not know yet; a transient failure waits for the next scan */
  async function reportPending(): Promise<void> {
    const client = deps.collector();
    if (!client) return;
    for (const s of repo.unreported(200)) {
      if (!s.collectorMessageId) continue;
      const r = await client.reportMailboxSignal({
        messageId: s.collectorMessageId,
        recipientEmail: s.recipientEmail,
        kind: s.kind,
        occurredAt: s.occurredAt,
        sourceKey: s.sourceKey,
        ...(s.kind === 'bounced' && s.status ? { status: s.status } : {}),
      });
      if (r.ok) {
        repo.setReported(s.eventId, 1);
        deps.onReported(r.value.event, s);
      } else if (r.error.code === 'tracking_disabled' || r.error.code === 'not_found') {
        repo.setReported(s.eventId, 2);
      } else {
        deps.log.warn(
          { code: r.error.code, detail: r.error.detail },
          'mailbox: collector did not take a signal yet',
        );
        return;
      }
    }
  }

  async function connect(a: MailAccount): Promise<ImapFlow> {
    const { imap } = a;
    const timeout = deps.mailOptions?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.security === 'tls',
      doSTARTTLS: imap.security === 'starttls' ? true : imap.security === 'none' ? false : undefined,
      servername: isIP(imap.host) ? undefined : imap.host,
      auth: { user: imap.user, pass: imap.password },
      tls: { rejectUnauthorized: !deps.mailOptions?.allowSelfSigned },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      // IDLE keeps the socket quiet for minutes: the IDLE timer, not the socket timeout, ends it
      socketTimeout: timing.idleMs + 60_000,
    });
    client.on('error', (e: unknown) => {
      deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'mailbox: connection error');
    });
    await client.connect();
    return client;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      const w = await deps.watched().catch(() => null);
      if (!w) {
        // nothing to watch (switched off, no account or password): nobody may wait for a scan
        settleWaiters();
        await sleep(timing.pollMs);
        continue;
      }
      let client: ImapFlow | null = null;
      try {
        client = await connect(w.account);
        current = client;
        failures = 0;
        while (running && client.usable) {
          await scan(client, w);
          if (!running) break;
          const again = await deps.watched().catch(() => null);
          if (!running || !again || again.key !== w.key || again.folder !== w.folder) break;
          // someone asked for a scan while this one ran: read again instead of going idle
          if (scanWaiters.length > 0) continue;
          if (client.capabilities.has('IDLE')) {
            const arrived = new Promise<void>((resolve) => client!.once('exists', () => resolve()));
            state.idle = true;
            void client.idle().catch(() => undefined);
            await sleep(timing.idleMs, arrived);
            state.idle = false;
          } else {
            await sleep(timing.pollMs);
          }
        }
      } catch (e) {
        failures++;
        state.error = imapError(e, 'mailbox', { host: w.account.imap.host, port: w.account.imap.port });
        deps.log.warn({ code: state.error.code, detail: state.error.detail }, 'mailbox: scan failed');
        settleWaiters();
        if (running) await sleep(timing.retryMs * Math.min(16, 2 ** (failures - 1)));
      } finally {
        current = null;
        state.idle = false;
        if (client) await client.logout().catch(() => client!.close());
      }
    }
  }

  return {
    repo,
    state: (): MailboxState => ({ ...state }),
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop(): Promise<void> {
      running = false;
      settleWaiters();
      wakeUp?.();
      current?.close();
      await loop;
      loop = null;
    },
    /** settings changed or the agent asked: read the folder again now */
    wake(): void {
      wakeUp?.();
    },
    /**
     * Resolves after a scan that started after this call ended (a scan already running may have
     * listed the folder before the mail the caller expects), or at once when none can run: the
     * service is stopped, the watch is off or has no account, or connecting failed (state.error).
     */
    async scanNow(): Promise<MailboxState> {
      if (!running) return { ...state };
      const done = new Promise<void>((resolve) => scanWaiters.push({ from: scansStarted + 1, resolve }));
      wakeUp?.();
      await done;
      return { ...state };
    },
    reportPending,
  };
}
export type MailboxService = ReturnType<typeof createMailboxService>;
