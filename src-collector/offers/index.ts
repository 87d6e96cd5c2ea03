import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import { registerOfferApi } from './api';
import { registerDeclarationsAndLocks } from './declarations';
import { registerLanding } from './landing';
import type { OfferServices } from './services';

export { offerApiSpec } from './api-spec';
export { openOfferServices, type OfferServices } from './services';

/** The offer API and the public landing pages. */
export function registerOffers(app: FastifyInstance, ctx: CollectorContext, svc: OfferServices): void {
  registerOfferApi(app, ctx, svc);
  registerLanding(app, ctx, svc);
  registerDeclarationsAndLocks(app, ctx, svc);
}
