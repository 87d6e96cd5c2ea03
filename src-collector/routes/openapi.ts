import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { domainApiSpec } from '../domains/routes';
import { evidenceApiSpec } from '../evidence/api-spec';
import { consentApiSpec } from '../consent/api';
import { offerApiSpec } from '../offers/api-spec';
import { apiSpec, ErrorBody, type ApiRouteSpec } from './api-spec';
import { mailboxApiSpec } from './mailbox';
import { privacyApiSpec } from '../privacy/api-spec';

type JsonSchema = Record<string, unknown>;

function schema(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parameters(spec: ApiRouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, s] of [
    ['query', spec.query],
    ['path', spec.params],
  ] as const) {
    if (!s) continue;
    const js = schema(s, 'input');
    const props = (js.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, p] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: p });
    }
  }
  return out;
}

export function buildOpenApi(serverUrl: string): JsonSchema {
  const errorResponse = { content: { 'application/json': { schema: schema(ErrorBody, 'output') } } };
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [operationId, spec] of Object.entries({
    ...apiSpec,
    ...offerApiSpec,
    ...evidenceApiSpec,
    ...mailboxApiSpec,
    ...domainApiSpec,
    ...consentApiSpec,
    ...privacyApiSpec,
  }) as [string, ApiRouteSpec][]) {
    const ok =
      spec.response instanceof z.ZodType
        ? { description: 'OK', content: { 'application/json': { schema: schema(spec.response, 'output') } } }
        : { description: spec.response.description, content: { [spec.response.mediaType]: {} } };
    const op: JsonSchema = {
      operationId,
      summary: spec.summary,
      security: [{ bearer: [] }],
      parameters: parameters(spec),
      responses: {
        '200': ok,
        '400': { description: 'bad input', ...errorResponse },
        '401': { description: 'missing or unknown token', ...errorResponse },
        ...(operationId === 'putTrackingDomain'
          ? { '409': { description: 'domain_taken or shared_host', ...errorResponse } }
          : {}),
        ...(spec.adminOnly || operationId === 'registerMessage'
          ? { '403': { description: 'not allowed (admin only, or tracking_disabled)', ...errorResponse } }
          : {}),
        '429': { description: 'rate limited', ...errorResponse },
      },
    };
    if (spec.body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: schema(spec.body, 'input') } },
      };
    }
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Blitz collector API',
      version: '1',
      description:
        'Public endpoints (not part of this document): GET /o/{token}.gif (pixel), GET /c/{token}/{n} (click redirect).',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

export function registerOpenApi(app: FastifyInstance, publicUrl: () => string): void {
  let cached: string | null = null;
  app.get('/api/v1/openapi.json', async (_req, reply) => {
    cached ??= JSON.stringify(buildOpenApi(publicUrl()));
    return reply.type('application/json').send(cached);
  });
}
