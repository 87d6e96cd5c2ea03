import { isIP } from 'node:net';
import { ImapFlow, type ListResponse } from 'imapflow';
import { msg } from '../../../src-shared/messages';
import { err, ok, type Result } from '../../../src-shared/result';
import { normaliseMessageId } from './build';
import { imapError } from './errors';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SOCKET_TIMEOUT_MS } from './smtp';
import type { MailAccount, MailConnectOptions } from './types';

/** Names mail servers and clients give the Sent folder, compared case-insensitively, best first. */
export const SENT_FOLDER_NAMES = [
  'Sent',
  'Gesendet',
  'Gesendete Elemente',
  'Gesendete Objekte',
  'Sent Items',
  'Sent Messages',
  'INBOX.Sent',
  'INBOX/Sent',
  'INBOX.Gesendet',
  'INBOX/Gesendet',
];

/** Opens an authenticated IMAP session, runs `fn`, always logs out; errors become values. */
export async function withImap<T>(
  account: MailAccount,
  options: MailConnectOptions,
  doing: string,
  fn: (client: ImapFlow) => Promise<Result<T>>,
): Promise<Result<T>> {
  const { imap } = account;
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === 'tls',
    // true: refuse to log in without STARTTLS; false: stay plain (local tests only)
    doSTARTTLS: imap.security === 'starttls' ? true : imap.security === 'none' ? false : undefined,
    servername: isIP(imap.host) ? undefined : imap.host,
    auth: { user: imap.user, pass: imap.password },
    tls: { rejectUnauthorized: !options.allowSelfSigned },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: connectTimeout,
    greetingTimeout: connectTimeout,
    socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
  });
  // imapflow also reports failures as 'error' events; unheard, they would crash the process
  let lastError: unknown = null;
  client.on('error', (e: unknown) => {
    lastError = e;
  });
  try {
    await client.connect();
  } catch (e) {
    client.close();
    return err(imapError(e ?? lastError, 'connect', { host: imap.host, port: imap.port }));
  }
  try {
    return await fn(client);
  } catch (e) {
    return err(imapError(e, doing, { host: imap.host, port: imap.port }));
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * The Sent folder: the account's override, else the mailbox the server flags \Sent (SPECIAL-USE),
 * else a well-known name, else — with `create` — a new "Sent" in the personal namespace.
 */
export async function findSentFolder(
  client: ImapFlow,
  override: string | undefined,
  create: boolean,
): Promise<string | null> {
  const boxes = await client.list();
  if (override) {
    const hit = boxes.find((b) => b.path === override);
    if (hit) return hit.path;
    if (!create) return null;
    await client.mailboxCreate(override);
    return override;
  }
  const found = pickSentFolder(boxes);
  if (found || !create) return found;
  const prefix = client.namespace?.prefix ?? '';
  const created = await client.mailboxCreate(`${prefix}Sent`);
  await client.mailboxSubscribe(created.path).catch(() => false);
  return created.path;
}

export function pickSentFolder(boxes: readonly ListResponse[]): string | null {
  const flagged = boxes.find((b) => b.specialUse === '\\Sent' && b.specialUseSource === 'extension');
  if (flagged) return flagged.path;
  for (const name of SENT_FOLDER_NAMES) {
    const lower = name.toLowerCase();
    const hit = boxes.find(
      (b) => b.path.toLowerCase() === lower || (b.name.toLowerCase() === lower && !b.parentPath),
    );
    if (hit) return hit.path;
  }
  return boxes.find((b) => b.specialUse === '\\Sent')?.path ?? null;
}

/**
 * APPENDs the clean copy (no pixel, original links) to the Sent folder, flagged \Seen so it does
 * not show up as unread in the agent's own mail client.
 */
export async function appendToSent(
  account: MailAccount,
  raw: Buffer,
  options: MailConnectOptions = {},
): Promise<Result<{ folder: string }>> {
  return withImap(account, options, 'APPEND', async (client) => {
    const folder = await findSentFolder(client, account.imap.sentFolder, true);
    if (!folder) return err(noSentFolder());
    const res = await client.append(folder, raw, ['\\Seen']);
    if (!res) return err(imapError(new Error('APPEND returned no result'), `APPEND ${folder}`));
    return ok({ folder });
  });
}

/**
 * Whether a message with this Message-ID is already in the Sent folder, so the outbox does not
 * file a second copy after a crash between APPEND and recording it.
 */
export async function findInSent(
  account: MailAccount,
  messageId: string,
  options: MailConnectOptions = {},
): Promise<Result<{ folder: string; found: boolean }>> {
  const id = normaliseMessageId(messageId);
  if (!id) return err({ code: 'message_invalid', message: msg('messageInvalid'), detail: messageId });
  return withImap(account, options, 'SEARCH', async (client) => {
    const folder = await findSentFolder(client, account.imap.sentFolder, false);
    if (!folder) return ok({ folder: account.imap.sentFolder ?? 'Sent', found: false });
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      const uids = await client.search({ header: { 'message-id': id } }, { uid: true });
      return ok({ folder, found: Array.isArray(uids) && uids.length > 0 });
    } finally {
      lock.release();
    }
  });
}

function noSentFolder() {
  return {
    code: 'imap_no_sent_folder',
    message: msg('imapFolderMissing'),
    transient: false,
  };
}
