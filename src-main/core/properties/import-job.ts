import { performance } from 'node:perf_hooks';
import type { ImportNote, ImportReport } from '../../../src-shared/ipc';
import { err, ok, type AppError, type Result } from '../../../src-shared/result';
import { parseOpenImmo, type NotImported } from './openimmo';
import type { PropertyData } from './store';
import { readOpenImmoZip, ZIP_LIMITS, type ZipLimits } from './zip';

/**
 * Everything of an OpenImmo import that needs no database: unpacking the ZIP, parsing the XML
 * and matching each <anhang> to its file. It runs on a worker thread (import-thread.ts), so a
 * 9 MB document does not stall the event loop that serves the UI; its output is plain data
 * (structured-clone safe) that the property service then stores.
 */
export interface ImportJobInput {
  xml?: string | undefined;
  zipBase64?: string | undefined;
  fileName?: string | undefined;
  files: { name: string; contentBase64: string }[];
  zipLimits?: ZipLimits;
}

export interface JobAttachment {
  role: 'image' | 'floor_plan' | 'document' | 'expose';
  name: string;
  /** element path of the <anhang> */
  path: string;
  bytes: Uint8Array;
}

export interface ImportJobOutput {
  properties: { data: PropertyData; attachments: JobAttachment[] }[];
  warnings: ImportNote[];
  notImported: NotImported[];
  unusedFiles: string[];
  source: ImportReport['source'];
  parseMs: number;
}

interface Candidate {
  name: string;
  bytes: Buffer;
}

const norm = (p: string) =>
  p
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .normalize('NFC')
    .toLowerCase();
const baseOf = (p: string) => p.split('/').pop() ?? '';

/**
 * The file an <anhang>'s <pfad> names: the same relative path beside the XML, else an entry
 * ending in that path, else the one entry with that file name. Two entries sharing a file name
 * in different folders are not guessed between. The path is only compared, never opened.
 */
function matcher(candidates: Candidate[], xmlDir: string) {
  const byFull = new Map<string, Candidate>();
  const byBase = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const n = norm(c.name);
    byFull.set(n, c);
    const b = baseOf(n);
    byBase.set(b, [...(byBase.get(b) ?? []), c]);
  }
  return (pfad: string): { file: Candidate } | { missing: true } | { ambiguous: string[] } => {
    const p = norm(pfad);
    const direct = byFull.get(xmlDir ? `${xmlDir}/${p}` : p) ?? byFull.get(p);
    if (direct) return { file: direct };
    const suffix = [...byFull.entries()].filter(([n]) => n.endsWith(`/${p}`));
    if (suffix.length === 1 && suffix[0]) return { file: suffix[0][1] };
    const same = byBase.get(baseOf(p)) ?? [];
    if (same.length === 1 && same[0]) return { file: same[0] };
    if (same.length > 1) return { ambiguous: same.map((c) => c.name) };
    return { missing: true };
  };
}

export async function runImportJob(input: ImportJobInput): Promise<Result<ImportJobOutput, AppError>> {
  const started = performance.now();
  let xml: string;
  let xmlDir = '';
  let candidates: Candidate[];
  let source: ImportReport['source'];
  const skippedNames: string[] = [];
  if (input.zipBase64 !== undefined) {
    const buf = Buffer.from(input.zipBase64, 'base64');
    const z = await readOpenImmoZip(buf, input.zipLimits ?? ZIP_LIMITS);
    if (!z.ok) return err({ ...z.error });
    xml = z.value.xml;
    const slash = z.value.xmlName.lastIndexOf('/');
    xmlDir = slash > 0 ? norm(z.value.xmlName.slice(0, slash)) : '';
    candidates = z.value.files;
    skippedNames.push(...z.value.skipped.map((s) => s.name));
    source = {
      kind: 'zip',
      name: input.fileName ?? 'Archiv.zip',
      bytes: buf.length,
      entries: z.value.entries,
    };
  } else {
    xml = input.xml ?? '';
    candidates = input.files.map((f) => ({
      name: baseOf(f.name.replace(/\\/g, '/')),
      bytes: Buffer.from(f.contentBase64, 'base64'),
    }));
    source = {
      kind: 'xml',
      name: input.fileName ?? 'OpenImmo.xml',
      bytes: Buffer.byteLength(xml, 'utf8'),
      entries: input.files.length,
    };
  }
  const parsed = parseOpenImmo(xml);
  if (!parsed.ok) {
    const e = parsed.error;
    return err({
      code: e.code,
      message: e.message,
      detail: e.detail ? `${e.path}: ${e.detail}` : e.path,
    });
  }
  const warnings = [...parsed.value.warnings];
  const find = matcher(candidates, xmlDir);
  const used = new Set<Candidate>();
  const properties: ImportJobOutput['properties'] = parsed.value.properties.map((p) => {
    const attachments: JobAttachment[] = [];
    for (const a of p.attachments) {
      let bytes: Buffer;
      if (a.source.kind === 'inline') bytes = Buffer.from(a.source.base64, 'base64');
      else {
        const m = find(a.source.path);
        if ('missing' in m) {
          warnings.push({ key: 'file_missing', path: a.path, params: { file: a.source.path } });
          continue;
        }
        if ('ambiguous' in m) {
          warnings.push({
            key: 'file_ambiguous',
            path: a.path,
            params: { file: a.source.path, candidates: m.ambiguous.join(', ') },
          });
          continue;
        }
        used.add(m.file);
        bytes = m.file.bytes;
      }
      attachments.push({ role: a.role, name: a.name, path: a.path, bytes: new Uint8Array(bytes) });
    }
    return { data: p.data, attachments };
  });
  const unusedFiles = [...candidates.filter((c) => !used.has(c)).map((c) => c.name), ...skippedNames];
  return ok({
    properties,
    warnings,
    notImported: parsed.value.notImported,
    unusedFiles,
    source,
    parseMs: Math.round(performance.now() - started),
  });
}
