/**
 * `npm run build:wasm`: compiles the first sync's page scanner (src-wasm/page-scan.ts,
 * AssemblyScript) into the module the app loads it from (src-main/core/sync/page-scan-wasm.ts).
 * Run it after changing the source; the module is committed, so installing and building the app
 * needs no AssemblyScript compiler run.
 */
import { writeFileSync } from 'node:fs';
import { buildPageScanModule, PAGE_SCAN_MODULE } from './lib/page-scan-wasm';

writeFileSync(PAGE_SCAN_MODULE, await buildPageScanModule());
console.log(`wrote ${PAGE_SCAN_MODULE}`);
