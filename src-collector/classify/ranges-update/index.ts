import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collapse } from './parsers';
import { currentPrefixes, rewriteRangeSource } from './rewrite';
import { UPDATABLE, type Fetch, type UpdatableSource } from './sources';

export interface UpdateOptions {
  /** classify/data */
  dataDir: string;
  /** tests: every list is fetched from `${mirror}/${host}${path}` instead */
  mirror?: string;
  timeoutMs?: number;
  only?: readonly string[];
  /** parse and report, write nothing */
  dryRun?: boolean;
  today?: string;
}

export type SourceReport =
  | { id: string; ok: true; prefixes: number; added: number; removed: number; written: boolean }
  | { id: string; ok: false; error: string };

/** a list shorter than this share of the one it replaces is taken for a broken download */
const MIN_SHARE = 0.5;

function fetcher(o: UpdateOptions): Fetch {
  return async (url) => {
    const u = new URL(url);
    const target = o.mirror ? `${o.mirror.replace(/\/$/, '')}/${u.host}${u.pathname}${u.search}` : url;
    let res: Response;
    try {
      res = await fetch(target, { signal: AbortSignal.timeout(o.timeoutMs ?? 20_000), redirect: 'follow' });
    } catch (e) {
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      throw new Error(`${url} not reachable: ${cause}`);
    }
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    return res.text();
  };
}

async function updateOne(s: UpdatableSource, o: UpdateOptions, fetch: Fetch): Promise<SourceReport> {
  const path = join(o.dataDir, s.file);
  try {
    const fetched = await s.load(fetch);
    const next = collapse([...fetched, ...(s.keep ?? [])]);
    if (next.length === 0) throw new Error('the list is empty');
    const text = await readFile(path, 'utf8');
    const before = currentPrefixes(text, s.name);
    if (before.length > 0 && next.length < before.length * MIN_SHARE)
      throw new Error(
        `only ${next.length} prefixes against ${before.length} before: not written (a cut-off download?)`,
      );
    const old = new Set(before);
    const now = new Set(next);
    const added = next.filter((p) => !old.has(p)).length;
    const removed = before.filter((p) => !now.has(p)).length;
    const changed = added > 0 || removed > 0;
    if (changed && !o.dryRun) {
      const today = o.today ?? new Date().toISOString().slice(0, 10);
      await writeFile(path, rewriteRangeSource(text, s.name, today, next));
    }
    return { id: s.id, ok: true, prefixes: next.length, added, removed, written: changed && !o.dryRun };
  } catch (e) {
    return { id: s.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Refreshes every updatable range list from its published source (issue 21). A source that
 * cannot be fetched or parsed is reported and its data file left exactly as it was; the others
 * are still written. One source at a time: several share a file.
 */
export async function updateRanges(o: UpdateOptions): Promise<SourceReport[]> {
  const fetch = fetcher(o);
  const out: SourceReport[] = [];
  for (const s of UPDATABLE) {
    if (o.only && !o.only.includes(s.id)) continue;
    out.push(await updateOne(s, o, fetch));
  }
  return out;
}

export { MANUAL, UPDATABLE } from './sources';
