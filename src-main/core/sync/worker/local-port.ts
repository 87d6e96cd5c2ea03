import type { MessagePort } from 'node:worker_threads';

/**
 * The part of a MessagePort the sync's two roles use to talk to each other (fetcher.ts, writer.ts).
 * Between threads it is a real MessagePort; with both roles on one thread it is localPortPair():
 * a page handed over there is the same object, not a structured clone (a first sync copied each
 * page's text, ~1.7 MB per 5,000 events, once more to hand it to itself).
 */
export interface PeerPort {
  /** `transfer`: buffers moved to the other thread without a copy (ignored on one thread) */
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: never) => void): unknown;
}

/** two connected ends on this thread; delivery is asynchronous and in order, as a MessagePort's */
export function localPortPair(): [PeerPort, PeerPort] {
  const make = (): PeerPort & { deliver(m: unknown): void } => {
    const listeners: ((m: never) => void)[] = [];
    return {
      postMessage: () => undefined,
      on(_event, listener) {
        listeners.push(listener);
        return this;
      },
      deliver(m) {
        for (const l of listeners) l(m as never);
      },
    };
  };
  const a = make();
  const b = make();
  a.postMessage = (m) => void setImmediate(() => b.deliver(m));
  b.postMessage = (m) => void setImmediate(() => a.deliver(m));
  return [a, b];
}

/** a MessagePort to the other thread, seen as a PeerPort */
export function peerOf(port: MessagePort): PeerPort {
  return {
    postMessage: (m, transfer) => port.postMessage(m, transfer ? [...transfer] : undefined),
    on: (_event, listener) => port.on('message', (m: unknown) => listener(m as never)),
  };
}
