import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { code, message } });
}

/** "links.3: must be an absolute http(s) URL (got 'javascript:alert(1)')" */
export function describeZodError(e: ZodError, input: unknown): string {
  return e.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.map(String).join('.');
      const got = valueAt(input, i.path);
      const shown = typeof got === 'string' ? ` (got '${got.slice(0, 200)}')` : '';
      if (i.code === 'unrecognized_keys')
        return `unknown field(s): ${i.keys.join(', ')}${path ? ` in ${path}` : ''}`;
      return `${path || 'body'}: ${i.message}${shown}`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Content-Type must be application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'request body too large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'request body is empty'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_CHARSET: [415, 'unsupported_media_type', 'unsupported charset'],
};

/** Fixed texts per status: a refusal never repeats what the request carried (path, body, headers). */
const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['bad_request', 'bad request'],
  404: ['not_found', 'not found'],
  405: ['method_not_allowed', 'method not allowed'],
  406: ['not_acceptable', 'not acceptable'],
  408: ['timeout', 'request timeout'],
  411: ['length_required', 'Content-Length required'],
  413: ['body_too_large', 'request body too large'],
  414: ['uri_too_long', 'request URI too long'],
  415: ['unsupported_media_type', 'unsupported media type'],
  429: ['rate_limited', 'too many requests'],
  431: ['headers_too_large', 'request headers too large'],
};

/**
 * The collector's one top-level error handler: every failure leaves as {"error":{code,message}},
 * only our own bugs become 500 (logged with method, URL and stack; the process keeps serving).
 */
export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const known = FASTIFY_CODES[error.code];
  if (known) {
    // the rest of an oversize body is not worth reading
    if (known[0] === 413) reply.header('connection', 'close');
    void sendError(reply, known[0], known[1], known[2]);
    return;
  }
  if (error instanceof SyntaxError || error.code?.startsWith('FST_ERR_CTP')) {
    void sendError(reply, 400, 'bad_request', 'request body could not be read');
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const [code, message] = STATUS_TEXT[status] ?? ['bad_request', 'request refused'];
    void sendError(reply, status, code, message);
    return;
  }
  req.log.error({ err: error, method: req.method, url: req.url }, 'request failed');
  void sendError(reply, 500, 'internal', 'internal error');
}
