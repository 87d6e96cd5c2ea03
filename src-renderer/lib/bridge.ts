import type { BlitzApi, CoreEvent, IpcOperation, IpcResult } from '../../src-shared/ipc';
import { err, type Result } from '../../src-shared/result';

declare global {
  interface Window {
    blitz?: BlitzApi;
  }
}

export type BridgeKind = 'electron' | 'http';

const TOKEN_KEY = 'blitz.hostToken';

/**
 * The browser host's token arrives in the URL fragment (never sent to a server, not in logs).
 * It is kept for this tab's session so a reload still works, and removed from the address bar.
 */
function takeHostToken(): string {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const unreachable = (detail: string): Result<never> =>
  err({ code: 'host_unreachable', message: { key: 'hostUnreachable' }, detail, transient: true });

/** a call this large goes by POST: one big message would hold up the small ones behind it */
const SOCKET_MAX = 1024 * 1024;
/** as many calls as POST /ipc-batch takes in one request (src-main/host/ipc-batch.ts) */
const BATCH_MAX = 8;

/**
 * The host's WebSocket for bridge calls (src-main/host/ipc-socket.ts): one message each way per
 * call instead of a request through the network service (issue 12: a keystroke's answer, a feed
 * switch). Opened once the first POST is answered (the boot's requests leave first, not beside a
 * handshake, and the socket is open for the first keystroke after the list is on screen); `send`
 * answers null while it is not open (then the call goes by POST),
 * and after a failed or closed socket it is opened again on a later call, at most every 3 s.
 */
function ipcSocket(token: string) {
  let socket: WebSocket | null = null;
  let open = false;
  let started = false;
  let lastTry = 0;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const connect = (): void => {
    lastTry = Date.now();
    const s = new WebSocket(`ws://${location.host}/ipc-ws?token=${encodeURIComponent(token)}`);
    socket = s;
    s.onopen = () => (open = true);
    s.onmessage = (m: MessageEvent<unknown>) => {
      if (typeof m.data !== 'string') return;
      try {
        // our own host answers with the core's Result; the core validated it
        const { id, result } = JSON.parse(m.data) as { id: number; result: Result<unknown> };
        pending.get(id)?.(result);
        pending.delete(id);
      } catch {
        // not an answer of ours: nothing waits for it
      }
    };
    s.onclose = () => {
      if (socket === s) {
        socket = null;
        open = false;
      }
      for (const done of pending.values()) done(unreachable('the host closed the connection'));
      pending.clear();
    };
  };
  return {
    /** the first answer by POST is in: the socket may open */
    start(): void {
      if (started) return;
      started = true;
      connect();
    },
    send(op: string, body: unknown): Promise<Result<unknown>> | null {
      if (!started) return null;
      if (!socket && Date.now() - lastTry > 3_000) connect();
      if (!socket || !open) return null;
      const id = nextId++;
      const text = JSON.stringify({ id, op, args: body ?? {} });
      if (text.length > SOCKET_MAX) return null;
      const s = socket;
      return new Promise((done) => {
        pending.set(id, done);
        s.send(text);
      });
    },
  };
}

/** window.blitz over HTTP: the host's WebSocket or POST /ipc/:op, and Server-Sent Events on /events. */
function httpBridge(): BlitzApi {
  const token = takeHostToken();
  const calls = ipcSocket(token);
  const listeners = new Set<(e: CoreEvent) => void>();
  let source: EventSource | null = null;

  // the event schema (zod and the whole IPC contract) is loaded when the first event arrives, not
  // at start-up: evaluating it is one long task of 30-75 ms (`npm run profile:ui`, loaded machine)
  // that used to land between the first page's answer and the list's first render. The stream
  // itself is opened at once, so no event is missed; events are checked in the order they came
  let schema: Promise<typeof CoreEvent> | null = null;
  const eventSchema = (): Promise<typeof CoreEvent> =>
    (schema ??= import('../../src-shared/ipc').then((m) => m.CoreEvent));
  const connect = () => {
    source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (msg: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(msg.data);
      } catch {
        return;
      }
      void eventSchema().then((CoreEvent) => {
        const parsed = CoreEvent.safeParse(data);
        if (!parsed.success) return;
        for (const l of listeners) l(parsed.data);
      });
    };
  };

  const post = async (path: string, body: string): Promise<unknown> => {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-blitz-token': token },
      body,
    });
    // our own host answers with the core's Result (or an array of them); the core validated it
    const answer: unknown = await res.json();
    calls.start();
    return answer;
  };

  // calls made in the same task while the socket is not open travel in one POST /ipc-batch
  // (src-main/host/ipc-batch.ts): the boot's three calls are one request, not three (issue 12)
  interface Queued {
    op: string;
    body: string;
    done(r: Result<unknown>): void;
  }
  let queued: Queued[] | null = null;
  const flush = (): void => {
    const all = queued ?? [];
    queued = null;
    // the host takes at most BATCH_MAX calls a batch (ipc-batch.ts MAX_BATCH)
    for (let i = 0; i < all.length; i += BATCH_MAX) send(all.slice(i, i + BATCH_MAX));
  };
  const send = (batch: Queued[]): void => {
    const one = batch.length === 1 ? batch[0] : undefined;
    const sent = one
      ? post(`/ipc/${one.op}`, one.body).then((answer) => [answer])
      : post(
          '/ipc-batch',
          `[${batch.map((c) => `{"op":${JSON.stringify(c.op)},"args":${c.body}}`).join(',')}]`,
        ).then((answer) => (Array.isArray(answer) ? answer : batch.map(() => answer)));
    sent.then(
      (answers) =>
        batch.forEach((c, i) =>
          c.done((answers[i] as Result<unknown> | undefined) ?? unreachable('no answer')),
        ),
      (e: unknown) => {
        for (const c of batch) c.done(unreachable(e instanceof Error ? e.message : String(e)));
      },
    );
  };
  const byPost = (op: string, body: string): Promise<Result<unknown>> =>
    new Promise((done) => {
      if (!queued) {
        queued = [];
        queueMicrotask(flush);
      }
      queued.push({ op, body, done });
    });

  const api: BlitzApi = {
    async invoke<K extends IpcOperation>(op: K, args: unknown): Promise<Result<IpcResult<K>>> {
      const bySocket = calls.send(op, args);
      if (bySocket) return (await bySocket) as Result<IpcResult<K>>;
      const body = JSON.stringify(args ?? {});
      // a large call (an attachment) alone: a batch stays small
      if (body.length > SOCKET_MAX) {
        try {
          return (await post(`/ipc/${op}`, body)) as Result<IpcResult<K>>;
        } catch (e) {
          return unreachable(e instanceof Error ? e.message : String(e));
        }
      }
      return (await byPost(op, body)) as Result<IpcResult<K>>;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
  return api;
}

export function resolveBridge(): { api: BlitzApi; kind: BridgeKind } {
  if (window.blitz) return { api: window.blitz, kind: 'electron' };
  return { api: httpBridge(), kind: 'http' };
}
