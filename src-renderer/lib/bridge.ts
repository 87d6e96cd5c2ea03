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

/** window.blitz over HTTP: POST /ipc/:op and Server-Sent Events on /events. */
function httpBridge(): BlitzApi {
  const token = takeHostToken();
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

  const api: BlitzApi = {
    async invoke<K extends IpcOperation>(op: K, args: unknown): Promise<Result<IpcResult<K>>> {
      try {
        const res = await fetch(`/ipc/${op}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-blitz-token': token },
          body: JSON.stringify(args ?? {}),
        });
        // our own host answers with the core's Result; the core validated it
        return (await res.json()) as Result<IpcResult<K>>;
      } catch (e) {
        return err({
          code: 'host_unreachable',
          message: { key: 'hostUnreachable' },
          detail: e instanceof Error ? e.message : String(e),
          transient: true,
        });
      }
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
