import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCache } from '../src-main/core/cache';
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { runImportJob } from '../src-main/core/properties/import-job';
import { runImportInThread } from '../src-main/core/properties/import-thread';
import { createPropertyService } from '../src-main/core/properties/service';

/**
 * npx tsx bench/openimmo-import.ts [--mb 9] [--runs 2]
 *
 * How long an OpenImmo import blocks the core's event loop (the loop that answers the UI), for a
 * generated OpenImmo 1.2.7 file of about 9 MB (480 properties with long descriptions), through
 * the property service with its real SQLite cache and file store:
 *   baseline  — parse on the event loop (what the import did before issue 13)
 *   worker    — parse on a worker thread (import-thread.ts), store on the loop
 * "busy" is the loop's own working time during the import (performance.eventLoopUtilization:
 * time not spent waiting for I/O), which a loaded machine does not inflate much; a 5 ms timer
 * adds what the UI would feel: "blocked" sums every stall beyond 50 ms, "longest" is the worst
 * single stall (both include time the thread waited for a CPU on a busy machine). Not a test: prints a table, baseline and new code measured in the same run.
 */
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const targetMb = arg('mb', 9);
const runs = arg('runs', 2);

function generate(mb: number): string {
  const para =
    'Die großzügige Wohnung überzeugt mit lichtdurchfluteten Räumen, Eichenparkett und einem Balkon nach Süden. ' +
    'Küche & Bad wurden 2024 erneuert; die Lage <nahe Park> ist ruhig und dennoch zentral. ';
  const item = (i: number) => `
    <immobilie>
      <objektkategorie><nutzungsart WOHNEN="true" GEWERBE="false"/><vermarktungsart KAUF="true" MIETE_PACHT="false"/><objektart><wohnung wohnungtyp="ETAGE"/></objektart></objektkategorie>
      <geo><plz>0${1000 + (i % 9000)}</plz><ort>Dresden</ort><strasse>Musterstraße</strasse><hausnummer>${i}</hausnummer><etage>${i % 6}</etage></geo>
      <preise><kaufpreis>${200000 + i * 1000}.00</kaufpreis><aussen_courtage mit_mwst="true">3,57 %</aussen_courtage></preise>
      <flaechen><wohnflaeche>${50 + (i % 80)},5</wohnflaeche><anzahl_zimmer>${1 + (i % 5)}</anzahl_zimmer></flaechen>
      <zustand_angaben><energiepass><epart>VERBRAUCH</epart><energieverbrauchkennwert>${60 + (i % 120)}</energieverbrauchkennwert><mitwarmwasser>true</mitwarmwasser><primaerenergietraeger>FERN</primaerenergietraeger><wertklasse>C</wertklasse><baujahr>1998</baujahr><ausstelldatum>2025-01-15</ausstelldatum><jahrgang>2014</jahrgang><gebaeudeart>wohn</gebaeudeart></energiepass></zustand_angaben>
      <freitexte><objekttitel>Wohnung Nr. ${i} – ruhig &amp; hell</objekttitel><dreizeiler>Eigentumswohnung ${i}</dreizeiler>
        <objektbeschreibung><![CDATA[${para.repeat(BODY)}]]></objektbeschreibung>
        <lage>${para.repeat(8).replace(/[<>&]/g, ' ')}</lage></freitexte>
      <verwaltung_techn><objektnr_extern>BENCH-${i}</objektnr_extern><aktion aktionart="CHANGE"/><stand_vom>2026-11-20</stand_vom></verwaltung_techn>
    </immobilie>`;
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<openimmo><uebertragung art="OFFLINE" umfang="TEIL" modus="CHANGE" version="1.2.7" sendersoftware="bench"/><anbieter><anbieternr>B1</anbieternr>`;
  const one = Buffer.byteLength(item(1));
  const n = Math.min(480, Math.floor((mb * 1024 * 1024) / one));
  return `${head}${Array.from({ length: n }, (_, i) => item(i + 1)).join('')}</anbieter></openimmo>`;
}
// 480 properties × ~19 KB of description ≈ 9 MB
const BODY = 86;

interface LoopStats {
  busyMs: number;
  blockedMs: number;
  longestMs: number;
}
function watchLoop(): () => LoopStats {
  const elu = performance.eventLoopUtilization();
  let last = performance.now();
  let blocked = 0;
  let longest = 0;
  const t = setInterval(() => {
    const now = performance.now();
    const gap = now - last;
    last = now;
    if (gap > 50) blocked += gap - 5;
    longest = Math.max(longest, gap);
  }, 5);
  return () => {
    clearInterval(t);
    const used = performance.eventLoopUtilization(elu);
    return {
      busyMs: Math.round(used.active),
      blockedMs: Math.round(blocked),
      longestMs: Math.round(longest),
    };
  };
}

// the worker as the built app runs it: plain JavaScript (from source, tsx would compile the
// worker's modules on every start and blur the figures)
mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
// inside the checkout, so the bundle finds node_modules
const workDir = mkdtempSync(join(process.cwd(), 'test-results', 'bench-import-worker-'));
const workerJs = join(workDir, 'openimmo-import-worker.mjs');
await build({
  entryPoints: [new URL('../src-main/core/properties/import-worker.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: workerJs,
  logLevel: 'error',
});
const workerUrl = pathToFileURL(workerJs);

const xml = generate(targetMb);
const bytes = Buffer.byteLength(xml);
console.log(
  `OpenImmo file: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${xml.split('<immobilie>').length - 1} properties`,
);

const rows: {
  mode: string;
  run: number;
  totalMs: number;
  parseMs: number;
  busyMs: number;
  blockedMs: number;
  longestMs: number;
}[] = [];
for (let run = 1; run <= runs; run++) {
  for (const mode of ['baseline (parse on the loop)', 'worker thread'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-import-bench-'));
    const cache = openCache(join(dir, 'cache.db'));
    const service = createPropertyService(cache, dir);
    await new Promise((r) => setTimeout(r, 100));
    const stop = watchLoop();
    const t0 = performance.now();
    const r =
      mode === 'worker thread'
        ? await service.importOpenImmo({ xml, files: [] }, (input) =>
            runImportInThread(input, undefined, workerUrl),
          )
        : await service.importOpenImmo({ xml, files: [] }, (input) => runImportJob(input));
    const totalMs = Math.round(performance.now() - t0);
    // the timer needs one more turn to see the last stall
    await new Promise((res) => setTimeout(res, 20));
    const loop = stop();
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    rows.push({ mode, run, totalMs, parseMs: r.value.report.parseMs, ...loop });
    cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.table(rows);
rmSync(workDir, { recursive: true, force: true });
const avg = (m: string, k: 'busyMs' | 'blockedMs' | 'longestMs' | 'totalMs') => {
  const xs = rows.filter((r) => r.mode.startsWith(m)).map((r) => r[k]);
  return Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
};
console.log(
  `event loop busy (its own work, eventLoopUtilization): baseline ${avg('baseline', 'busyMs')} ms → worker ${avg('worker', 'busyMs')} ms`,
);
console.log(
  `event loop blocked: baseline ${avg('baseline', 'blockedMs')} ms (longest stall ${avg('baseline', 'longestMs')} ms) → worker ${avg('worker', 'blockedMs')} ms (longest ${avg('worker', 'longestMs')} ms); import total ${avg('baseline', 'totalMs')} → ${avg('worker', 'totalMs')} ms`,
);
