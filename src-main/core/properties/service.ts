import { msg } from '../../../src-shared/messages';
import { join } from 'node:path';
import type { z } from 'zod';
import { OFFER_IMAGE_BYTES_MAX, OFFER_PDF_BYTES_MAX } from '../../../src-shared/api';
import type {
  ImportNote,
  ImportReport,
  OpenImmoImportInput,
  OpenImmoImportResult,
  PropertyDto,
  PropertyFileInput,
  PropertyFileRole,
  PropertyFileType,
} from '../../../src-shared/ipc';
import { err, ok, type AppError, type Result } from '../../../src-shared/result';
import type { Cache } from '../cache';
import { sniffFileType } from '../../../src-shared/file-types';
import { createBlobFolder, sanitiseFileName } from './files';
import { runImportJob, type ImportJobInput, type ImportJobOutput } from './import-job';
import { importNoteMessage } from '../../../src-shared/import-notes';
import { runImportInThread } from './import-thread';
import type { PropertyData } from './store';

const notFound = (id: string): AppError => ({
  code: 'not_found',
  message: msg('propertyNotFound'),
  detail: id,
});

/** which file types a role accepts: the landing page shows images and offers PDFs for download */
function typeFits(role: PropertyFileRole, type: PropertyFileType): boolean {
  if (role === 'image') return type !== 'application/pdf';
  if (role === 'floor_plan') return true;
  return type === 'application/pdf';
}

export function checkFile(
  role: PropertyFileRole,
  name: string,
  bytes: Buffer,
): Result<{ contentType: PropertyFileType; name: string }> {
  const shown = sanitiseFileName(name);
  if (bytes.length === 0) return err({ code: 'file_empty', message: msg('fileEmpty', { name: shown }) });
  const type = sniffFileType(bytes);
  if (!type)
    return err({
      code: 'file_type_unsupported',
      message: msg('fileTypeUnsupported', { name: shown }),
    });
  if (!typeFits(role, type))
    return err({
      code: 'file_type_mismatch',
      message: msg(role === 'image' ? 'fileNotImage' : 'fileNotPdf', { name: shown }),
    });
  const max = type === 'application/pdf' ? OFFER_PDF_BYTES_MAX : OFFER_IMAGE_BYTES_MAX;
  if (bytes.length > max)
    return err({
      code: 'file_too_large',
      message: msg('fileTooLarge', { name: shown, mb: max / 1024 / 1024 }),
    });
  return ok({ contentType: type, name: shown });
}

/**
 * A small XML parses in a few milliseconds, less than a thread takes to start: only archives and
 * larger documents go to the worker thread.
 */
const INLINE_XML_MAX = 256 * 1024;
const defaultRunner = (args: z.output<typeof OpenImmoImportInput>) =>
  args.zipBase64 === undefined && (args.xml ?? '').length < INLINE_XML_MAX ? runImportJob : runImportInThread;

/** properties stored per transaction during an import (see importOpenImmo) */
const STORE_BATCH = 10;

/** Objekte: the cache rows plus the files under `<dataDir>/properties/<id>/<sha256>`. */
export function createPropertyService(cache: Cache, dataDir: string) {
  const blobs = createBlobFolder(join(dataDir, 'properties'));
  const now = () => new Date().toISOString();
  const dto = (id: string): Result<PropertyDto> => {
    const p = cache.properties.get(id);
    return p ? ok(p) : err(notFound(id));
  };

  function save(input: PropertyData): Result<PropertyDto> {
    if (input.id !== undefined && !cache.properties.exists(input.id)) return err(notFound(input.id));
    if (input.externalId) {
      const other = cache.properties.idForExternal(input.externalId);
      if (other && other !== input.id)
        return err({
          code: 'property_duplicate',
          message: msg('externalIdTaken', { id: input.externalId }),
        });
    }
    const ids = new Set(input.units.map((u) => u.id));
    if (ids.size !== input.units.length)
      return err({ code: 'invalid_arguments', message: msg('unitIdsDuplicate') });
    const id = cache.tx(() => cache.properties.save(input, now()));
    return dto(id);
  }

  function addFile(args: z.output<typeof PropertyFileInput>): Result<PropertyDto> {
    if (!cache.properties.exists(args.propertyId)) return err(notFound(args.propertyId));
    const bytes = Buffer.from(args.contentBase64, 'base64');
    const checked = checkFile(args.role, args.name, bytes);
    if (!checked.ok) return checked;
    const sha = blobs.put(args.propertyId, bytes);
    const replaced = cache.tx(() =>
      cache.properties.addFile(
        args.propertyId,
        {
          role: args.role,
          name: checked.value.name,
          contentType: checked.value.contentType,
          size: bytes.length,
          sha256: sha,
        },
        now(),
      ),
    );
    for (const r of replaced)
      if (!cache.properties.shaInUse(args.propertyId, r.sha256)) blobs.remove(args.propertyId, r.sha256);
    return dto(args.propertyId);
  }

  /**
   * OpenImmo import: unpacking and parsing run on a worker thread (import-thread.ts); storing the
   * result here is quick. Every import answers with a report: what was taken over, what of the
   * document was not, and every file that was missing or refused.
   */
  async function importOpenImmo(
    args: z.output<typeof OpenImmoImportInput>,
    runJob: (input: ImportJobInput) => Promise<Result<ImportJobOutput>> = defaultRunner(args),
  ): Promise<Result<z.output<typeof OpenImmoImportResult>>> {
    const job = await runJob({
      xml: args.xml,
      zipBase64: args.zipBase64,
      fileName: args.fileName,
      files: args.files,
    });
    if (!job.ok) return job;
    const warnings: ImportNote[] = [...job.value.warnings];
    const imported: ImportReport['imported'] = [];
    const ids: string[] = [];
    const storeOne = (imp: ImportJobOutput['properties'][number]): void => {
      const existing = imp.data.externalId ? cache.properties.idForExternal(imp.data.externalId) : null;
      const at = now();
      const id = cache.tx(() =>
        cache.properties.save({ ...imp.data, ...(existing ? { id: existing } : {}) }, at),
      );
      const have = new Set((cache.properties.get(id)?.files ?? []).map((f) => `${f.role}:${f.sha256}`));
      const files: ImportReport['imported'][number]['files'] = [];
      for (const a of imp.attachments) {
        const bytes = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
        const checked = checkFile(a.role, a.name, bytes);
        if (!checked.ok) {
          warnings.push({
            key: 'file_rejected',
            path: a.path,
            params: { file: a.name, code: checked.error.code, reason: checked.error.message.key },
          });
          continue;
        }
        files.push({ role: a.role, name: checked.value.name });
        const sha = blobs.put(id, bytes);
        if (have.has(`${a.role}:${sha}`)) continue;
        have.add(`${a.role}:${sha}`);
        cache.tx(() =>
          cache.properties.addFile(
            id,
            {
              role: a.role,
              name: checked.value.name,
              contentType: checked.value.contentType,
              size: bytes.length,
              sha256: sha,
            },
            at,
          ),
        );
      }
      ids.push(id);
      imported.push({
        propertyId: id,
        title: imp.data.title,
        externalId: imp.data.externalId,
        kind: imp.data.kind,
        updated: existing !== null,
        units: imp.data.units.map((u) => ({ number: u.number, ...(u.title ? { title: u.title } : {}) })),
        files,
        links: imp.data.links.length,
        energy: imp.data.energy?.status ?? 'none',
        commissionNotice: imp.data.commissionNotice !== null,
      });
    };
    // one transaction per batch, and the event loop gets a turn between batches: a 500-property
    // export neither stalls the UI nor commits (and fsyncs) once per property
    const list = job.value.properties;
    const stored: PropertyDto[] = [];
    for (let i = 0; i < list.length; i += STORE_BATCH) {
      const from = ids.length;
      cache.tx(() => list.slice(i, i + STORE_BATCH).forEach(storeOne));
      for (const id of ids.slice(from)) {
        const p = cache.properties.get(id);
        if (p) stored.push(p);
      }
      if (i + STORE_BATCH < list.length) await new Promise((r) => setImmediate(r));
    }
    const report: ImportReport = {
      source: job.value.source,
      imported,
      notImported: job.value.notImported,
      warnings,
      unusedFiles: job.value.unusedFiles,
      parseMs: job.value.parseMs,
    };
    return ok({
      properties: stored,
      warnings: warnings.map(importNoteMessage),
      report,
    });
  }

  return {
    list: (): PropertyDto[] => cache.properties.list(),
    get: dto,
    save,
    delete(id: string): Result<{ id: string }> {
      if (!cache.properties.exists(id)) return err(notFound(id));
      cache.tx(() => cache.properties.delete(id));
      blobs.removeAll(id);
      return ok({ id });
    },
    addFile,
    removeFile(propertyId: string, fileId: string): Result<PropertyDto> {
      const removed = cache.tx(() => cache.properties.removeFile(propertyId, fileId, now()));
      if (!removed) return err({ code: 'not_found', message: msg('fileNotFound'), detail: fileId });
      if (!cache.properties.shaInUse(propertyId, removed.sha256)) blobs.remove(propertyId, removed.sha256);
      return dto(propertyId);
    },
    readFile(
      propertyId: string,
      fileId: string,
    ): Result<{ contentType: string; contentBase64: string; bytes: Buffer }> {
      const f = cache.properties.file(propertyId, fileId);
      const bytes = f ? blobs.read(propertyId, f.sha256) : null;
      if (!f || !bytes) return err({ code: 'not_found', message: msg('fileNotFound'), detail: fileId });
      return ok({ contentType: f.contentType, contentBase64: bytes.toString('base64'), bytes });
    },
    importOpenImmo,
  };
}
export type PropertyService = ReturnType<typeof createPropertyService>;
