import type { CoreEvent, IpcOperation, IpcResult } from '../../src-shared/ipc';
import type { Result } from '../../src-shared/result';

/**
 * The face of the desktop core towards its adapters (Electron IPC in src-main/shell, the browser
 * host in src-main/host). Both hand raw, untrusted arguments to `dispatch`, which validates them
 * with the schemas of src-shared/ipc.ts before a handler runs.
 */
export interface CoreApi {
  dispatch<K extends IpcOperation>(op: K, rawArgs: unknown): Promise<Result<IpcResult<K>>>;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** issue 19: reads the watched INBOX folder now; resolves with the watcher's state after it */
  scanMailbox?(): Promise<import('./mailbox/service').MailboxState>;
}

/** Secrets (SMTP/IMAP passwords, collector token): safeStorage in the shell, a file store elsewhere. */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** false for the plain-file store and for Linux safeStorage without a keyring */
  readonly encrypted: boolean;
}

/** Native notifications: Electron's Notification in the shell, a recorder in the browser host. */
export interface Notifier {
  notify(n: { activityId: string; title: string; body: string }): void;
}

export interface CoreOptions {
  /** the app's data folder: the SQLite cache and property files live here */
  dataDir: string;
  secrets: SecretStore;
  notifier: Notifier;
  /** pino-compatible logger */
  log?: {
    info(o: object, msg?: string): void;
    warn(o: object, msg?: string): void;
    error(o: object, msg?: string): void;
  };
  /**
   * Starts a collector inside the app on 127.0.0.1 for the local test mode (the shell and the host
   * pass src-collector's starter; core must not import the collector itself).
   */
  startLocalCollector?: (
    dataDir: string,
  ) => Promise<{ url: string; adminToken: string; close(): Promise<void> }>;
  /** TLS and timeout knobs for SMTP/IMAP (tests and the local test mode accept self-signed certificates) */
  mailOptions?: import('./mail').MailConnectOptions;
  /**
   * issue 16: where „Nachweis exportieren“ puts nachweis.json and nachweis.pdf (the shell: a folder
   * the agent picks); without it the files go back to the renderer as downloads (browser host)
   */
  saveEvidence?: import('./evidence/export').SaveEvidence;
  /** issue 19: the INBOX watcher's poll, IDLE and retry intervals (tests shorten them) */
  mailboxTiming?: Partial<import('./mailbox/service').MailboxTiming>;
  /** retry and polling intervals; the defaults are the production ones, tests shorten them */
  timing?: Partial<CoreTiming>;
  /**
   * Called after every persisted outbox step (state change of an activity). Observability for the
   * shell's logs and for the crash tests, which kill the process exactly at a step.
   */
  onOutboxStep?: (step: {
    activityId: string;
    state: import('../../src-shared/ipc').OutboxState;
  }) => void | Promise<void>;
}

export type CoreLogger = NonNullable<CoreOptions['log']>;

export interface CoreTiming {
  /** first retry delay of a transient outbox failure; doubles per attempt */
  retryBaseMs: number;
  retryMaxMs: number;
  /** fallback poll of the collector when no SSE poke arrives */
  pollIntervalMs: number;
  /** first reconnect delay of the SSE stream and of failed pulls; doubles up to syncBackoffMaxMs */
  syncBackoffBaseMs: number;
  syncBackoffMaxMs: number;
  /** opens of one person on one activity within this window make one notification */
  burstWindowMs: number;
  /** per-request timeout towards the collector */
  requestTimeoutMs: number;
}

export const DEFAULT_TIMING: CoreTiming = {
  retryBaseMs: 5_000,
  retryMaxMs: 15 * 60_000,
  pollIntervalMs: 5 * 60_000,
  syncBackoffBaseMs: 2_000,
  syncBackoffMaxMs: 5 * 60_000,
  burstWindowMs: 5 * 60_000,
  requestTimeoutMs: 15_000,
};
