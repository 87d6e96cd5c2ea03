import { msg } from '../../../src-shared/messages';
import { Worker } from 'node:worker_threads';
import { err, type AppError, type Result } from '../../../src-shared/result';
import type { ImportJobInput, ImportJobOutput } from './import-job';

/** a portal ZIP of 100 MB parses in seconds; anything far beyond is a stuck or hostile document */
const IMPORT_TIMEOUT_MS = 120_000;

/**
 * Runs one OpenImmo import (import-job.ts) on its own worker thread and resolves with its
 * result. Running from source (tsx, vitest) the TypeScript worker is started through
 * tsx-worker-boot.mjs; the built app ships it as `openimmo-import-worker.js` beside the main
 * bundle (electron.vite.config.ts).
 */
export function runImportInThread(
  input: ImportJobInput,
  timeoutMs = IMPORT_TIMEOUT_MS,
  /** a prebuilt JavaScript worker (the benchmark measures the app's path, without tsx) */
  workerFile?: URL,
): Promise<Result<ImportJobOutput, AppError>> {
  const fromSource = import.meta.url.endsWith('.ts') && !workerFile;
  const worker = workerFile
    ? new Worker(workerFile, { workerData: { input }, execArgv: [] })
    : fromSource
      ? new Worker(new URL('./tsx-worker-boot.mjs', import.meta.url), {
          workerData: { entry: new URL('./import-worker.ts', import.meta.url).href, input },
          execArgv: [],
        })
      : new Worker(new URL('./openimmo-import-worker.js', import.meta.url), {
          workerData: { input },
          execArgv: [],
        });
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Result<ImportJobOutput, AppError>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(
      () =>
        finish(
          err({
            code: 'import_timeout',
            message: msg('importTimeout', { seconds: timeoutMs / 1000 }),
          }),
        ),
      timeoutMs,
    );
    worker.once('message', (r: Result<ImportJobOutput, AppError>) => finish(r));
    worker.once('error', (e) =>
      finish(
        err({
          code: 'import_failed',
          message: msg('importFailed'),
          detail: e.stack ?? e.message,
        }),
      ),
    );
    worker.once('exit', (code) =>
      finish(
        err({
          code: 'import_failed',
          message: msg('importFailed'),
          detail: `exit ${code}`,
        }),
      ),
    );
  });
}
