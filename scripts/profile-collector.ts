import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBlitz } from '../bench/scenarios/blitz-setup';
import { acquirePg, releasePg } from '../bench/scenarios/pg-cluster';
import { wrk } from '../bench/lib/wrk';

/**
 * npm run profile:collector [-- --store sqlite|postgres] [--kind pixel|click] [--duration 10] [--out DIR] [--plain]
 * Runs one Blitz collector under the bench's wrk load with V8's --cpu-prof, then prints the
 * functions with the most self time. The .cpuprofile is left in --out for Chrome DevTools.
 * --plain: the same load without the profiler (its overhead moves throughput and latency).
 */
const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    kind: { type: 'string', default: 'pixel' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    out: { type: 'string', default: 'test-results/profiles' },
    top: { type: 'string', default: '30' },
    plain: { type: 'boolean', default: false },
  },
});
const store = values.store === 'postgres' ? 'postgres' : 'sqlite';
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const before = new Set(readdirSync(out));
const pg = store === 'postgres' ? await acquirePg() : undefined;
const b = await startBlitz(store, {
  pgBase: pg,
  nodeArgs: values.plain ? [] : ['--cpu-prof', `--cpu-prof-dir=${out}`],
});
let result;
try {
  const paths = values.kind === 'click' ? b.clickPaths : b.pixelPaths;
  await wrk(b.server.url, paths, { connections: 64, threads: 2, durationS: 2 });
  result = await wrk(b.server.url, paths, {
    connections: Number(values.connections),
    threads: 2,
    durationS: Number(values.duration),
  });
} finally {
  await b.stop();
  if (pg) releasePg();
}
console.log(
  `${store} ${values.kind}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50ms} ms, p99 ${result.p99ms} ms`,
);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const fresh = readdirSync(out).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
for (const f of fresh) {
  const prof = JSON.parse(readFileSync(join(out, f), 'utf8')) as { nodes: Node[]; samples: number[] };
  const total = prof.samples.length;
  const self = new Map<string, number>();
  for (const n of prof.nodes) {
    const u = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${u}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  console.log(`\n${f} (${total} samples), self time:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    console.log(`${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
}
