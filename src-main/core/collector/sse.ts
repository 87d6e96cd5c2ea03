/**
 * Listens to the collector's event stream. A message on it is only a poke: the sync pulls from
 * its stored cursor, so nothing here needs to be parsed beyond "something happened".
 */
export interface SseListenerOptions {
  url: string;
  token: string;
  /**
   * the sequence number to resume after, read at every (re)connect and sent as Last-Event-ID:
   * without it the collector streams the account's whole history before anything new
   */
  resumeFrom?(): number;
  /** called for every complete SSE message (not for heartbeat comments) */
  onPoke(): void;
  /** the stream is up (true) or down (false) */
  onConnection?(up: boolean, detail?: string): void;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * cap while the collector does not answer at all (refused, reset, timed out): it costs it
   * nothing, and the next attempt after it is back ends the offline state. A collector that
   * answers with an error (overloaded, token refused) gets the full backoff.
   */
  unreachableMaxMs?: number;
}

export interface SseListener {
  stop(): void;
}

export function listenToStream(opts: SseListenerOptions): SseListener {
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  const schedule = (answered = true) => {
    if (stopped) return;
    const max = answered ? opts.backoffMaxMs : Math.min(opts.backoffMaxMs, opts.unreachableMaxMs ?? Infinity);
    const delay = Math.min(max, opts.backoffBaseMs * 2 ** Math.min(failures, 20));
    failures++;
    timer = setTimeout(() => void connect(), jitter(delay));
  };

  async function connect(): Promise<void> {
    timer = null;
    if (stopped) return;
    controller = new AbortController();
    try {
      const res = await fetch(opts.url, {
        headers: {
          authorization: `Bearer ${opts.token}`,
          accept: 'text/event-stream',
          ...(opts.resumeFrom ? { 'last-event-id': String(opts.resumeFrom()) } : {}),
        },
        // never carry the token to where a redirect points
        redirect: 'error',
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        opts.onConnection?.(false, `HTTP ${res.status}`);
        await res.body?.cancel().catch(() => undefined);
        schedule();
        return;
      }
      failures = 0;
      opts.onConnection?.(true);
      // a poke on (re)connect catches up whatever happened while the stream was down
      opts.onPoke();
      const parser = createSseParser(() => opts.onPoke());
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || stopped) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
      if (!stopped) opts.onConnection?.(false, 'stream ended');
    } catch (e) {
      if (!stopped) opts.onConnection?.(false, e instanceof Error ? e.message : String(e));
      schedule(false);
      return;
    }
    schedule();
  }

  void connect();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}

/** Incremental text/event-stream parser (WHATWG rules for line endings, comments and dispatch). */
export function createSseParser(onMessage: (m: { event: string; data: string; id: string | null }) => void) {
  let buf = '';
  let data: string[] = [];
  let event = '';
  let id: string | null = null;
  let hasField = false;

  const line = (l: string) => {
    if (l === '') {
      if (hasField) onMessage({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      hasField = false;
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon === -1 ? l : l.slice(0, colon);
    let value = colon === -1 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    hasField = true;
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  };

  return {
    push(text: string) {
      buf += text;
      let m: RegExpExecArray | null;
      const re = /\r\n|\r|\n/g;
      let start = 0;
      while ((m = re.exec(buf))) {
        // a trailing \r may be the first half of \r\n: wait for more
        if (m[0] === '\r' && m.index === buf.length - 1) break;
        line(buf.slice(start, m.index));
        start = m.index + m[0].length;
      }
      buf = buf.slice(start);
    },
  };
}

function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
