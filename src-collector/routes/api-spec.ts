import { z } from 'zod';
import {
  ErrorBody,
  EventsQuery,
  EventsResponse,
  MeResponse,
  RegisterMessageRequest,
  RegisterMessageResponse,
  Settings,
  SettingsUpdate,
} from '../../src-shared/api';
import { TrackingEvent, Verdict } from '../../src-shared/events';

export const VerdictCorrection = z.object({ verdict: Verdict }).strict();
export const EventIdParam = z.object({ id: z.string().min(1).max(100) }).strict();
export const StreamQuery = z
  .object({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() })
  .strict();

export interface ApiRouteSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** OpenAPI path syntax; fastify's `:id` form is derived from it */
  path: string;
  summary: string;
  adminOnly?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** JSON response, or a media type for non-JSON answers */
  response: z.ZodType | { mediaType: string; description: string };
}

/**
 * The API's one description: the routes validate with these schemas and the OpenAPI document
 * is generated from them, so the two cannot drift apart.
 */
export const apiSpec = {
  me: { method: 'GET', path: '/api/v1/me', summary: 'The caller', response: MeResponse },
  getSettings: { method: 'GET', path: '/api/v1/settings', summary: 'Account settings', response: Settings },
  putSettings: {
    method: 'PUT',
    path: '/api/v1/settings',
    summary: 'Change account settings (admin)',
    adminOnly: true,
    body: SettingsUpdate,
    response: Settings,
  },
  registerMessage: {
    method: 'POST',
    path: '/api/v1/messages',
    summary: 'Register a sent message and obtain its trackers; idempotent by clientId',
    body: RegisterMessageRequest,
    response: RegisterMessageResponse,
  },
  events: {
    method: 'GET',
    path: '/api/v1/events',
    summary: 'Events and message registrations with seq > after, oldest first',
    query: EventsQuery,
    response: EventsResponse,
  },
  stream: {
    method: 'GET',
    path: '/api/v1/events/stream',
    summary:
      'Server-Sent Events: `event: event` (TrackingEvent) and `event: message` (MessageSummary with seq), `id:` = seq; resumes from Last-Event-ID or ?after=',
    query: StreamQuery,
    response: {
      mediaType: 'text/event-stream',
      description: 'an endless event stream with heartbeat comments',
    },
  },
  correctVerdict: {
    method: 'POST',
    path: '/api/v1/events/{id}/verdict',
    summary:
      "Correct an event's verdict; the event gets a new seq and keeps the original in client.correctedFrom",
    params: EventIdParam,
    body: VerdictCorrection,
    response: TrackingEvent,
  },
} as const satisfies Record<string, ApiRouteSpec>;

export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

export { ErrorBody };
