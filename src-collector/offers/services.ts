import { err, ok, type Result, type TextError } from '../../src-shared/result';
import { openPostgresOfferStore } from '../store/offers/postgres';
import { openSqliteOfferStore } from '../store/offers/sqlite';
import type { OfferStore } from '../store/offers/types';
import { DiskFileStore, type FileStore } from './files';

/** What the offer routes need, opened once beside the collector's store. */
export interface OfferServices {
  offers: OfferStore;
  files: FileStore;
  /** HMAC key of the pages' CSRF tokens; stored so every instance and restart agrees */
  secret: Buffer;
  onStatusChanged(listener: (offerId: string) => void): void;
  statusChanged(offerId: string): void;
  close(): Promise<void>;
}

export interface OpenOfferServicesOptions {
  /** the collector's SQLite file: the offer tables go into it, the blobs into `<file>.files/` */
  sqliteFile?: string;
  synchronous?: 'FULL' | 'NORMAL';
  /** postgres://…: offers and blobs go into the collector's PostgreSQL database instead */
  databaseUrl?: string;
}

export async function openOfferServices(
  opts: OpenOfferServicesOptions,
): Promise<Result<OfferServices, TextError>> {
  if (opts.databaseUrl) {
    try {
      const { offers, files } = await openPostgresOfferStore(opts.databaseUrl);
      return ok(assemble(offers, files, await offers.secret('landing-csrf')));
    } catch (e) {
      return err({
        code: 'offers_open_failed',
        message: 'Der Angebotsspeicher kann nicht geöffnet werden (cannot open the offer store)',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
  }
  if (!opts.sqliteFile || opts.sqliteFile === ':memory:') {
    return err({
      code: 'offers_need_file',
      message: 'Angebote brauchen eine Datenbankdatei (offers need an SQLite file or PostgreSQL)',
    });
  }
  let offers: OfferStore | null = null;
  try {
    offers = openSqliteOfferStore({ file: opts.sqliteFile, synchronous: opts.synchronous });
    const files = new DiskFileStore(`${opts.sqliteFile}.files`);
    return ok(assemble(offers, files, await offers.secret('landing-csrf')));
  } catch (e) {
    await offers?.close();
    return err({
      code: 'offers_open_failed',
      message: 'Der Angebotsspeicher kann nicht geöffnet werden (cannot open the offer store)',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}

export function assemble(offers: OfferStore, files: FileStore, secret: Buffer): OfferServices {
  const listeners = new Set<(offerId: string) => void>();
  return {
    offers,
    files,
    secret,
    onStatusChanged: (l) => listeners.add(l),
    statusChanged: (offerId) => {
      for (const l of listeners) l(offerId);
    },
    close: async () => {
      listeners.clear();
      await files.close();
      await offers.close();
    },
  };
}
