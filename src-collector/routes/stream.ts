import type { FastifyInstance } from 'fastify';
import type { CollectorContext } from '../context';
import { authenticate } from '../http/auth';
import { describeZodError, sendError } from '../http/errors';
import { apiSpec } from './api-spec';

const PAGE = 500;

/**
 * Server-Sent Events over the same sequence as GET /events: first everything after the
 * resume point, then whatever commits later. Each frame's `id:` is its seq, so a reconnecting
 * EventSource resumes exactly where it stopped.
 */
export function registerStream(app: FastifyInstance, ctx: CollectorContext): void {
  app.get(apiSpec.stream.path, async (req, reply) => {
    const user = await authenticate(ctx, req, reply);
    if (!user) return reply;
    const q = apiSpec.stream.query.safeParse(req.query ?? {});
    if (!q.success) return sendError(reply, 400, 'invalid_request', describeZodError(q.error, req.query));
    const lastId = req.headers['last-event-id'];
    let cursor = q.data.after ?? 0;
    if (lastId !== undefined) {
      if (typeof lastId !== 'string' || !/^\d{1,15}$/.test(lastId.trim())) {
        return sendError(reply, 400, 'invalid_request', 'Last-Event-ID must be a sequence number');
      }
      cursor = Number(lastId.trim());
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream
      'x-accel-buffering': 'no',
    });
    res.write(': blitz\nretry: 3000\n\n');

    let closed = false;
    let running = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          for (;;) {
            const page = await ctx.store.pullEvents(user, cursor, PAGE);
            if (closed) return;
            const frames: { seq: number; text: string }[] = [
              ...page.events.map((e) => ({
                seq: e.seq,
                text: `id: ${e.seq}\nevent: event\ndata: ${JSON.stringify(e)}\n\n`,
              })),
              ...page.messages.map((m) => ({
                seq: m.seq,
                text: `id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`,
              })),
            ].sort((a, b) => a.seq - b.seq);
            if (frames.length > 0) res.write(frames.map((f) => f.text).join(''));
            cursor = page.next;
            if (frames.length < PAGE) break;
          }
        } while (again && !closed);
      } catch (e) {
        ctx.log.error({ err: e }, 'event stream failed');
        stop();
      } finally {
        running = false;
      }
    };

    const unsubscribe = ctx.store.onCommitted((accountId) => {
      if (accountId === user.accountId) void pump();
    });
    // issue 17: events were deleted (retention, erasure): a frame without an id, so the stream's
    // resume point stays; the desktop reads the tombstones on the pull it pokes
    const unsubscribeDeleted = ctx.store.privacy.onDeleted((accountId) => {
      if (accountId === user.accountId && !closed) res.write('event: deleted\ndata: {}\n\n');
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), ctx.heartbeatMs);
    const stop = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeDeleted();
      ctx.streams.delete(stop);
      res.end();
    };
    ctx.streams.add(stop);
    req.raw.on('close', stop);
    res.on('error', stop);
    await pump();
    return reply;
  });
}
