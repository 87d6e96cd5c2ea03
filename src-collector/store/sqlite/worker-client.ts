import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { HitBatch } from './hit-batch.mjs';

interface Reply {
  id: number;
  ok: boolean;
  seqs?: number[];
  accounts?: string[];
  error?: string;
}

type Pending = (r: Reply) => void;

/**
 * The main thread's handle on hit-writer-worker.mjs: one request, one reply, matched by id.
 * A batch crosses as a HitBatch (hit-batch.mjs: columns of strings, cheap to clone).
 */
export class HitWriterThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly checkpointer: Worker;
  private readonly checkpointerPort: MessagePort;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failed: Error | null = null;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./hit-writer-worker.mjs', import.meta.url), {
      workerData: { file, synchronous, port: port2 },
      transferList: [port2],
      // a TS loader in the parent (tsx, vitest) is not needed by the plain-JS worker
      execArgv: [],
    });
    const cp = new MessageChannel();
    this.checkpointerPort = cp.port1;
    this.checkpointer = new Worker(new URL('./checkpointer-worker.mjs', import.meta.url), {
      workerData: { file, port: cp.port2 },
      transferList: [cp.port2],
      execArgv: [],
    });
    // a checkpointer that died only lets the WAL grow; the writer's own error path reports real failures
    this.checkpointer.on('error', () => undefined);
    this.port.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.(r);
    });
    const fail = (e: Error): void => {
      this.failed = e;
      for (const [id, p] of this.pending) p({ id, ok: false, error: e.message });
      this.pending.clear();
      this.port.close();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`hit writer thread exited (${code})`)));
  }

  async write(batch: HitBatch): Promise<{ seqs: number[]; accounts: string[] }> {
    const r = await this.send({ type: 'write', batch });
    if (!r.ok) throw new Error(`hits not stored: ${r.error}`);
    return { seqs: r.seqs ?? [], accounts: r.accounts ?? [] };
  }

  async close(): Promise<void> {
    if (!this.failed) {
      await this.send({ type: 'close' });
      this.port.close();
      await this.worker.terminate();
    }
    // after the writer: its last commit is in the final checkpoint
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.checkpointerPort.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      this.checkpointer.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.checkpointerPort.postMessage({ type: 'close', id: 0 });
    });
    this.checkpointerPort.close();
    await this.checkpointer.terminate();
  }

  private send(msg: Record<string, unknown>): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ ...msg, id });
    });
  }
}
