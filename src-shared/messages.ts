import { z } from 'zod';
import { messagesDe } from './i18n/messages-de';

/**
 * What the core says to the agent: a key of the message catalogue (src-shared/i18n) and its
 * parameters. The renderer turns it into German or English; the core never sends sentences.
 */
export type MessageKey = keyof typeof messagesDe;
export const MESSAGE_KEYS = Object.keys(messagesDe) as [MessageKey, ...MessageKey[]];

export const MessageParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = z.infer<typeof MessageParams>;

export const Message = z.object({ key: z.enum(MESSAGE_KEYS), params: MessageParams.optional() });
export type Message = z.infer<typeof Message>;

export function msg(key: MessageKey, params?: MessageParams): Message {
  return params ? { key, params } : { key };
}
