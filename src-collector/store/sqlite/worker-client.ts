import { Worker } from 'node:worker_threads';
import type { NewHit, Revision, StoredHitRef } from '../types';

interface Reply {
  id: number;
  ok: boolean;
  refs?: StoredHitRef[];
  accounts?: string[];
  error?: string;
}

/** The main thread's handle on hit-writer-worker.mjs: one request, one reply, matched by id. */
export class HitWriterThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Reply) => void>();
  private failed: Error | null = null;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL') {
    this.worker = new Worker(new URL('./hit-writer-worker.mjs', import.meta.url), {
      workerData: { file, synchronous },
      // a TS loader in the parent (tsx, vitest) is not needed by the plain-JS worker
      execArgv: [],
    });
    this.worker.on('message', (r: Reply) => {
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      done?.(r);
    });
    const fail = (e: Error): void => {
      this.failed = e;
      for (const [id, done] of this.pending) done({ id, ok: false, error: e.message });
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`hit writer thread exited (${code})`)));
  }

  async write(batch: readonly NewHit[], revisions: readonly Revision[]): Promise<{ refs: StoredHitRef[]; accounts: string[] }> {
    const r = await this.send({ type: 'write', batch, revisions });
    if (!r.ok) throw new Error(`hits not stored: ${r.error}`);
    return { refs: r.refs ?? [], accounts: r.accounts ?? [] };
  }

  async close(): Promise<void> {
    if (this.failed) return;
    await this.send({ type: 'close' });
    await this.worker.terminate();
  }

  private send(msg: Record<string, unknown>): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...msg, id });
    });
  }
}
