import { msg, type Message } from '../../../src-shared/messages';
import yauzl from 'yauzl';
import { err, ok, type Result } from '../../../src-shared/result';

/**
 * Reading the ZIP a portal or CRM exports (one OpenImmo XML + its attachments) into memory, with
 * yauzl doing the format. Nothing here touches the file system: an entry's name is only a key to
 * match the XML's <pfad> against, never a path to write to (the property files are stored by
 * their SHA-256, see files.ts).
 *
 * Hostile archives: the declared sizes are checked before anything is inflated, and yauzl's
 * validateEntrySizes stops an entry whose data inflates beyond what it declared, so a zip bomb
 * cannot lie its way past the limits. Absolute and `..` names, encrypted entries and more
 * entries than any export needs refuse the whole archive with a German reason.
 */
export const ZIP_LIMITS = {
  archiveBytes: 100 * 1024 * 1024,
  entries: 1000,
  /** an Exposé PDF may be 20 MB (OFFER_PDF_BYTES_MAX); the XML at most 10 MB */
  entryBytes: 30 * 1024 * 1024,
  totalBytes: 300 * 1024 * 1024,
  /** inflated : compressed above this (for entries over 1 MB) is a bomb, not an export */
  ratio: 200,
  ratioFloorBytes: 1024 * 1024,
};
export type ZipLimits = typeof ZIP_LIMITS;

export interface ZipError {
  code:
    | 'zip_invalid'
    | 'zip_too_large'
    | 'zip_too_many_entries'
    | 'zip_entry_too_large'
    | 'zip_bomb'
    | 'zip_unsafe_path'
    | 'zip_encrypted'
    | 'zip_no_xml'
    | 'zip_several_xml';
  message: Message;
  detail?: string;
}

export interface ZipEntryFile {
  /** the entry's name inside the archive, `/`-separated, e.g. `export/bilder/Ansicht.jpg` */
  name: string;
  bytes: Buffer;
}

export interface ReadZip {
  xmlName: string;
  xml: string;
  files: ZipEntryFile[];
  /** entries skipped on purpose: folders' macOS resource forks, nested archives */
  skipped: { name: string; reason: 'macos_metadata' | 'nested_archive' }[];
  entries: number;
}

/** the XML's bytes as text: a BOM or the declaration's encoding (OpenImmo exports are often ISO-8859-1) */
export function decodeXml(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  const head = bytes.subarray(0, 200).toString('latin1');
  const enc = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8') {
    try {
      return new TextDecoder(enc).decode(bytes);
    } catch {
      // an encoding Node does not know: read as UTF-8 and let the parser complain
    }
  }
  return bytes.toString('utf8');
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

function open(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buf,
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false },
      (e, zip) => (e || !zip ? reject(e ?? new Error('no zip')) : resolve(zip)),
    );
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (e, stream) => {
      if (e || !stream) return reject(e ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        // validateEntrySizes also catches this; stopping here keeps memory bounded even then
        if (size > max) stream.destroy(new Error(`entry grew beyond ${max} bytes`));
        else chunks.push(c);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    });
  });
}

/** German reason for what yauzl refuses; its own message goes to the detail */
function explain(e: unknown, current: string): ZipError {
  const raw = e instanceof Error ? e.message : String(e);
  if (/^(absolute path|invalid relative path|invalid characters in fileName)/.test(raw))
    return {
      code: 'zip_unsafe_path',
      message: msg('zipUnsafePath', { name: raw.replace(/^[^:]*: /, '') }),
      detail: raw,
    };
  if (/too many bytes|entry grew beyond|expected .* bytes/i.test(raw))
    return {
      code: 'zip_bomb',
      message: msg('zipGrewBeyond', { name: current }),
      detail: raw,
    };
  return {
    code: 'zip_invalid',
    message: msg('zipUnreadable'),
    detail: raw,
  };
}

export async function readOpenImmoZip(
  buf: Buffer,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<Result<ReadZip, ZipError>> {
  if (buf.length > limits.archiveBytes)
    return err({
      code: 'zip_too_large',
      message: msg('zipTooLarge', { size: mb(buf.length), max: mb(limits.archiveBytes) }),
    });
  let zip: yauzl.ZipFile;
  try {
    zip = await open(buf);
  } catch (e) {
    return err(explain(e, ''));
  }
  if (zip.entryCount > limits.entries) {
    zip.close();
    return err({
      code: 'zip_too_many_entries',
      message: msg('zipTooManyEntries', { count: zip.entryCount, max: limits.entries }),
    });
  }
  const files: ZipEntryFile[] = [];
  const skipped: ReadZip['skipped'] = [];
  let total = 0;
  let current = '';
  const walk = new Promise<ZipError | null>((resolve) => {
    const stop = (e: ZipError) => {
      zip.close();
      resolve(e);
    };
    zip.on('error', (e: unknown) => resolve(explain(e, current)));
    zip.on('end', () => resolve(null));
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName.replace(/^(\.\/)+/, '');
      current = name;
      if (name.endsWith('/')) return zip.readEntry(); // a folder
      const base = name.split('/').pop() ?? '';
      if (name.startsWith('__MACOSX/') || base.startsWith('._')) {
        skipped.push({ name, reason: 'macos_metadata' });
        return zip.readEntry();
      }
      if (entry.isEncrypted())
        return stop({
          code: 'zip_encrypted',
          message: msg('zipEncrypted', { name }),
        });
      if (entry.uncompressedSize > limits.entryBytes)
        return stop({
          code: 'zip_entry_too_large',
          message: msg('zipEntryTooLarge', {
            name,
            size: mb(entry.uncompressedSize),
            max: mb(limits.entryBytes),
          }),
        });
      if (
        entry.uncompressedSize > limits.ratioFloorBytes &&
        entry.uncompressedSize > entry.compressedSize * limits.ratio
      )
        return stop({
          code: 'zip_bomb',
          message: msg('zipBombRatio', {
            name,
            ratio: Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)),
          }),
        });
      total += entry.uncompressedSize;
      if (total > limits.totalBytes)
        return stop({
          code: 'zip_too_large',
          message: msg('zipTotalTooLarge', { max: mb(limits.totalBytes) }),
        });
      if (/\.(zip|7z|rar|gz|tgz)$/i.test(base)) {
        skipped.push({ name, reason: 'nested_archive' });
        return zip.readEntry();
      }
      readEntry(zip, entry, Math.min(limits.entryBytes, entry.uncompressedSize))
        .then((bytes) => {
          files.push({ name, bytes });
          zip.readEntry();
        })
        .catch((e: unknown) => stop(explain(e, name)));
    });
    zip.readEntry();
  });
  const failure = await walk;
  if (failure) return err(failure);
  const xmls = files.filter((f) => /\.xml$/i.test(f.name));
  if (xmls.length === 0)
    return err({
      code: 'zip_no_xml',
      message: msg('zipNoXml'),
    });
  if (xmls.length > 1)
    return err({
      code: 'zip_several_xml',
      message: msg('zipSeveralXml', { names: xmls.map((x) => x.name).join(', ') }),
    });
  const xmlFile = xmls[0] as ZipEntryFile;
  return ok({
    xmlName: xmlFile.name,
    xml: decodeXml(xmlFile.bytes),
    files: files.filter((f) => f !== xmlFile),
    skipped,
    entries: zip.entryCount,
  });
}
