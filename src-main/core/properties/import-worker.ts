import { msg } from '../../../src-shared/messages';
import { parentPort, workerData } from 'node:worker_threads';
import { runImportJob, type ImportJobInput } from './import-job';

// One import per thread: the thread unpacks and parses, posts the plain result and ends.
const { input } = workerData as { input: ImportJobInput };
runImportJob(input).then(
  (r) => parentPort?.postMessage(r),
  (e: unknown) =>
    parentPort?.postMessage({
      ok: false,
      error: {
        code: 'import_failed',
        message: msg('importFailed'),
        detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
      },
    }),
);
