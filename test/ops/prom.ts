/** A Prometheus text exposition, read into name{labels} → value, for the ops tests. */
export type Samples = Map<string, number>;

export function parseProm(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

/** the sum of every sample of `name` whose labels contain all of `labels` (e.g. 'kind="open"') */
export function sum(s: Samples, name: string, ...labels: string[]): number {
  let n = 0;
  for (const [k, v] of s) {
    const base = k.split('{')[0];
    if (base !== name) continue;
    if (labels.every((l) => k.includes(l))) n += v;
  }
  return n;
}
