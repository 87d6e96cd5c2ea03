import { z } from 'zod';
import type { SecretStore } from '../api';

/**
 * A stored secret is bound to the address it was saved for: the SMTP/IMAP password to scheme
 * (security mode), host, port and user; the collector token to the collector's origin. Asked
 * for another address the store answers "none", so no operation can carry a password or token
 * to a server it was not typed in for (a changed host in the settings dialog, a test against a
 * new server, a collector URL pointing elsewhere). The binding travels inside the stored value,
 * so it cannot drift apart from the secret.
 */
const Bound = z.object({ v: z.literal(1), origin: z.string(), secret: z.string() }).strict();

export interface MailEndpoint {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user: string;
}

/** `smtp+starttls://user@host:587`: any change of these four is another address */
export function mailOrigin(protocol: 'smtp' | 'imap', e: MailEndpoint): string {
  return `${protocol}+${e.security}://${encodeURIComponent(e.user)}@${e.host.trim().toLowerCase()}:${e.port}`;
}

/** scheme, host and port of a collector URL (the path under it is the same collector) */
export function collectorOrigin(url: string): string {
  return new URL(url).origin;
}

function decode(stored: string): z.infer<typeof Bound> | null {
  try {
    const parsed = Bound.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** the secret saved for exactly this origin, else null */
export async function getBoundSecret(
  secrets: SecretStore,
  key: string,
  origin: string,
): Promise<string | null> {
  const stored = await secrets.get(key);
  if (stored === null) return null;
  const b = decode(stored);
  return b && b.origin === origin ? b.secret : null;
}

export async function setBoundSecret(
  secrets: SecretStore,
  key: string,
  origin: string,
  secret: string,
): Promise<void> {
  await secrets.set(key, JSON.stringify({ v: 1, origin, secret }));
}

/** Keeps the stored secret only if it belongs to `origin`: saving a new address drops the old one. */
export async function keepOnlyFor(secrets: SecretStore, key: string, origin: string): Promise<void> {
  const stored = await secrets.get(key);
  if (stored === null) return;
  const b = decode(stored);
  if (!b || b.origin !== origin) await secrets.delete(key);
}

/**
 * Secrets stored before they were bound (a plain value): bound once to the address saved with
 * them at that time, or dropped when there is none.
 */
export async function bindLegacySecret(
  secrets: SecretStore,
  key: string,
  origin: string | null,
): Promise<void> {
  const stored = await secrets.get(key);
  if (stored === null || decode(stored)) return;
  if (origin === null) await secrets.delete(key);
  else await setBoundSecret(secrets, key, origin, stored);
}
