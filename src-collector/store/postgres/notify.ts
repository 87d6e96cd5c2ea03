import { z } from 'zod';

/**
 * What instances on one database tell each other over LISTEN/NOTIFY: which accounts committed
 * (their SSE streams wake up), and a sender's API address (the `self` verdict works whichever
 * instance the pixel reaches, without full IPs ever being written to a table).
 */
type Notice =
  | { kind: 'commit'; instance: string; accounts: string[] }
  | { kind: 'sender-ip'; instance: string; userId: string; ip: string; at: number };

const Wire = z.union([
  z.object({ k: z.literal('c'), i: z.string(), a: z.array(z.string()) }),
  z.object({ k: z.literal('s'), i: z.string(), u: z.string(), ip: z.string().max(64), t: z.number() }),
]);

/** one channel per schema, so schemas sharing a database (tests) do not wake each other */
export function channelFor(schema: string): string {
  return `blitz_${schema.replace(/[^a-zA-Z0-9_]/g, '_')}`.slice(0, 63);
}

export function commitNotice(instance: string, accounts: readonly string[]): string {
  return JSON.stringify({ k: 'c', i: instance, a: accounts });
}

export function senderIpNotice(instance: string, userId: string, ip: string, at: Date): string {
  return JSON.stringify({ k: 's', i: instance, u: userId, ip, t: at.getTime() });
}

export function parseNotice(payload: string): Notice | null {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return null;
  }
  const r = Wire.safeParse(raw);
  if (!r.success) return null;
  const w = r.data;
  return w.k === 'c'
    ? { kind: 'commit', instance: w.i, accounts: w.a }
    : { kind: 'sender-ip', instance: w.i, userId: w.u, ip: w.ip, at: w.t };
}
