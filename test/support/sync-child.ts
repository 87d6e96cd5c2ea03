import { openCache } from '../../src-main/core/cache';
import { CURSOR_KEY } from '../../src-main/core/sync/apply';
import { createSyncThreads } from '../../src-main/core/sync/worker/threads';

/**
 * A desktop sync in a process of its own, for the kill tests: the app's two sync threads pull
 * into `cacheFile` from its cursor; one line `page <n> <cursor>` per committed page, `done` at the end.
 * argv: cacheFile url token pageSize history(1|0)
 */
const [cacheFile, url, token, pageSize, history] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const cache = openCache(cacheFile);
const threads = createSyncThreads({ cacheFile });
let pages = 0;
const r = await threads.pull({
  collector: { baseUrl: url, token, timeoutMs: 30_000 },
  after: cache.meta.get<number>(CURSOR_KEY) ?? 0,
  history: history === '1',
  pageSize: Number(pageSize),
  onPage: (p) => process.stdout.write(`page ${++pages} ${p.cursor}\n`),
});
await threads.close();
cache.close();
process.stdout.write(r.ok ? 'done\n' : `failed ${r.error.code}\n`);
process.exit(r.ok ? 0 : 1);
