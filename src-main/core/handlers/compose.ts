import { randomUUID } from 'node:crypto';
import { err, ok } from '../../../src-shared/result';
import { KEYS, trackingEnabled, type StoredMailAccount } from '../settings';
import { announceQueued, notConfigured, type CoreContext, type DomainHandlers } from './context';

/** Writing an e-mail: recipient suggestions and queueing the message for the outbox. */
export function composeHandlers(ctx: CoreContext): DomainHandlers<'compose' | 'contacts'> {
  const { cache } = ctx;
  return {
    'contacts.suggest': async ({ query }) =>
      ok(
        cache.contacts.suggest(query).map((c) => {
          // issue 17: the mode shows where the agent picks the recipient
          const k = cache.consent.get(c.email);
          return k ? { ...c, consent: { mode: k.mode, state: k.state } } : c;
        }),
      ),
    'contacts.prospectLanguage': async ({ emails }) =>
      ok({ language: cache.contacts.commonLanguage(emails) }),
    'compose.send': async (input) => {
      const account = cache.meta.get<StoredMailAccount>(KEYS.mailAccount);
      if (!account) return err(notConfigured('mail'));
      const seen = new Set<string>();
      const recipients = (['to', 'cc', 'bcc'] as const).flatMap((kind) =>
        input[kind].flatMap((email) => {
          const k = email.toLowerCase();
          if (seen.has(k)) return [];
          seen.add(k);
          const given = input.recipientNames?.[email]?.trim();
          return [{ kind, email, name: given ? given : cache.contacts.nameOf(email) }];
        }),
      );
      const tracked = input.track && trackingEnabled(cache) && ctx.client() !== null;
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
          prospectLanguage: input.prospectLanguage,
          attachments: input.attachments.map((f) => ({
            filename: f.filename,
            contentType: f.contentType,
            content: Buffer.from(f.contentBase64, 'base64'),
          })),
        });
        cache.outbox.create(id, createdAt);
        cache.contacts.remember(recipients, createdAt, input.prospectLanguage);
      });
      await announceQueued(ctx, id);
      return ok({ activityId: id });
    },
  };
}
