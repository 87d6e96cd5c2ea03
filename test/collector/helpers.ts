import type { RegisterMessageResponse } from '../../src-shared/api';
import type { TestCollector } from '../support/collector';

export interface Res<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = unknown>(
  url: string,
  init: {
    method?: string;
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const r = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: r.status, headers: r.headers, body: parsed as T, text };
}

let clientSeq = 0;

export async function register(
  c: Pick<TestCollector, 'url'>,
  token: string,
  over: Partial<{
    clientId: string;
    sentIndividually: boolean;
    recipients: { email: string; name?: string }[];
    links: string[];
  }> = {},
): Promise<RegisterMessageResponse> {
  const r = await call<RegisterMessageResponse>(`${c.url}/api/v1/messages`, {
    token,
    body: {
      clientId: over.clientId ?? `msg-${process.pid}-${++clientSeq}`,
      subject: 'Exposé Musterstraße 1',
      sentIndividually: over.sentIndividually ?? true,
      recipients: over.recipients ?? [{ email: 'anna@kunde.example', name: 'Anna Beispiel' }],
      links: over.links ?? ['https://makler.example/expose/1'],
    },
  });
  if (r.status !== 200) throw new Error(`register failed: ${r.status} ${r.text}`);
  return r.body;
}

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export async function hitPixel(pixelUrl: string, ua = CHROME_UA, method = 'GET'): Promise<Response> {
  const r = await fetch(pixelUrl, { method, headers: { 'user-agent': ua } });
  await r.arrayBuffer();
  return r;
}

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource over fetch: collects frames and heartbeat comments. */
export function openStream(url: string, token: string, headers: Record<string, string> = {}) {
  const frames: SseFrame[] = [];
  let comments = 0;
  const ac = new AbortController();
  let status = 0;
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const ready = (async () => {
    const r = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      signal: ac.signal,
    });
    status = r.status;
    if (!r.body) return;
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) !== -1) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const f: SseFrame = { data: '' };
            let isFrame = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments++;
              else if (line.startsWith('id: ')) f.id = line.slice(4);
              else if (line.startsWith('event: ')) f.event = line.slice(7);
              else if (line.startsWith('data: ')) {
                f.data += line.slice(6);
                isFrame = true;
              }
            }
            if (isFrame) frames.push(f);
            notify();
          }
        }
      } catch {
        // aborted
      }
      notify();
    })();
  })();
  return {
    frames,
    get comments() {
      return comments;
    },
    get status() {
      return status;
    },
    ready,
    async waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timeout waiting for stream (have ${frames.length} frames)`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    close(): void {
      ac.abort();
    },
  };
}
