import type { FastifyInstance } from 'fastify';
import {
  ContactConsent,
  ContactConsentPage,
  ContactConsentQuery,
  ContactModeUpdate,
} from '../../src-shared/consent';
import type { CollectorContext } from '../context';
import type { ApiRouteSpec } from '../routes/api-spec';
import { route } from '../routes/api';
import type { ConsentGate } from './gate';

/** Issue 17: contacts' tracking modes, synced to every desktop of the account. */
export const consentApiSpec = {
  contactsConsent: {
    method: 'GET',
    path: '/api/v1/contacts/consent',
    summary:
      "Contacts whose tracking mode or consent changed after `after` (their version), oldest change first; `next` is the highest version in the page. mode null = the account's consentDefault",
    query: ContactConsentQuery,
    response: ContactConsentPage,
  },
  setContactMode: {
    method: 'PUT',
    path: '/api/v1/contacts/consent',
    summary:
      "Set a contact's tracking mode (always, after_consent, never; null = the account default). A prospect's withdrawal stays in force whatever the mode",
    body: ContactModeUpdate,
    response: ContactConsent,
  },
} as const satisfies Record<string, ApiRouteSpec>;

export function registerConsentApi(app: FastifyInstance, ctx: CollectorContext, gate: ConsentGate): void {
  route(app, ctx, consentApiSpec.contactsConsent, async ({ user, query }) => {
    const contacts = await ctx.store.contactsChangedAfter(user.accountId, query.after, query.limit);
    return { contacts, next: contacts.at(-1)?.version ?? query.after } satisfies ContactConsentPage;
  });

  route(app, ctx, consentApiSpec.setContactMode, async ({ user, body }) => {
    const email = body.email.trim().toLowerCase();
    const c = await ctx.store.setContactMode(
      user.accountId,
      email,
      body.mode,
      user.id,
      new Date().toISOString(),
    );
    gate.contactChanged(user.accountId, email);
    ctx.log.info(
      { accountId: user.accountId, userId: user.id, mode: body.mode },
      'contact tracking mode changed',
    );
    return c;
  });
}
