import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../../src-shared/private-fs';
import type { Store } from '../store/types';
import { renderEvidencePdf } from './pdf';
import { openEvidenceServices } from './service';

export interface EvidenceExportArgs {
  db: string;
  databaseUrl?: string;
  synchronous: 'FULL' | 'NORMAL';
  accountId: string;
  email: string;
  offerId?: string;
  out: string;
}

export type EvidenceExportResult =
  | { ok: true; json: string; pdf: string; records: number }
  | { ok: false; message: string };

/**
 * `npm run collector -- evidence export …`: chains and signs what is committed (also while a
 * collector serves the same database: the chain lock orders them), then writes nachweis.json and
 * nachweis.pdf into `out` (0600: full IPs).
 */
export async function exportEvidenceCli(store: Store, a: EvidenceExportArgs): Promise<EvidenceExportResult> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  if (!(await store.getAccount(a.accountId)))
    return { ok: false, message: `Konto ${a.accountId} gibt es nicht (no such account)` };
  const ev = openEvidenceServices({
    store,
    sqliteFile: a.databaseUrl ? undefined : a.db,
    log,
    background: false,
  });
  try {
    let messageId: string | undefined;
    if (a.offerId) {
      const offer = await store.getOffer(a.offerId);
      if (!offer || offer.accountId !== a.accountId)
        return { ok: false, message: `Angebot ${a.offerId} gibt es in diesem Konto nicht (no such offer)` };
      messageId = offer.messageId;
    }
    const out = await ev.exportFor({ accountId: a.accountId, email: a.email, offerId: a.offerId, messageId });
    if (!out.ok) return { ok: false, message: `Kette noch nicht signiert bei Position ${out.position} (chain not signed)` };
    const dir = resolve(a.out);
    makePrivateDir(dir);
    const json = join(dir, 'nachweis.json');
    const pdf = join(dir, 'nachweis.pdf');
    writeFileSync(json, `${JSON.stringify(out.file, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    writeFileSync(pdf, await renderEvidencePdf(out.file, out.records), { mode: PRIVATE_FILE_MODE });
    return { ok: true, json, pdf, records: out.file.records.length };
  } finally {
    await ev.close();
  }
}
