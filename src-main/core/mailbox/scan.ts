import type { ImapFlow } from 'imapflow';
import { SCAN_HEADERS, worthFetching } from './classify';
import type { MailboxCursor } from '../cache/mailbox';

export interface FetchedMail {
  uid: number;
  source: Buffer;
  internalDate: Date | null;
}

export interface ScanResult {
  cursor: MailboxCursor;
  /** mails whose header fields were read */
  scanned: number;
  /** mails fetched whole because they may be a signal */
  fetched: number;
  /** UIDVALIDITY changed: the folder was read again from its first mail */
  reset: boolean;
}

/** mails fetched whole per FETCH command: bounds the memory of a first scan */
const SOURCE_CHUNK = 50;
/** a candidate larger than this is read only up to it: a signal's parts come first */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/**
 * One pass over `folder`, strictly read-only: EXAMINE (never SELECT), every FETCH a BODY.PEEK,
 * no STORE, MOVE, COPY or EXPUNGE. First the scan header fields of every mail after the cursor,
 * then the whole source of the few that may be a reply, bounce or automatic answer. `handle`
 * gets them chunk by chunk; the new cursor is returned for the caller to store with its results.
 */
export async function scanFolder(
  client: ImapFlow,
  folder: string,
  cursor: MailboxCursor | null,
  isKnown: (messageId: string) => boolean,
  /** may name a UID to read again next time (its activity is not known here yet) */
  handle: (mails: FetchedMail[]) => Promise<number | null> | number | null,
): Promise<ScanResult> {
  const box = await client.mailboxOpen(folder, { readOnly: true });
  const uidValidity = String(box.uidValidity);
  const reset = cursor !== null && cursor.uidValidity !== uidValidity;
  const after = cursor && !reset ? cursor.lastUid : 0;
  let last = after;
  let scanned = 0;
  const candidates: number[] = [];
  if (box.exists > 0) {
    for await (const m of client.fetch(
      `${after + 1}:*`,
      { uid: true, envelope: true, headers: SCAN_HEADERS },
      { uid: true },
    )) {
      // `n:*` answers the last mail even when its UID is below n
      if (m.uid <= after) continue;
      scanned++;
      if (m.uid > last) last = m.uid;
      const headers = m.headers ? m.headers.toString('utf8') : '';
      if (worthFetching(headers, m.envelope?.subject ?? '', isKnown)) candidates.push(m.uid);
    }
  }
  let fetched = 0;
  let holdAt: number | null = null;
  for (let i = 0; i < candidates.length; i += SOURCE_CHUNK) {
    const chunk = candidates.slice(i, i + SOURCE_CHUNK);
    const mails: FetchedMail[] = [];
    for await (const m of client.fetch(
      chunk.join(','),
      { uid: true, source: { maxLength: MAX_SOURCE_BYTES }, internalDate: true },
      { uid: true },
    )) {
      if (!m.source) continue;
      const d = m.internalDate;
      mails.push({
        uid: m.uid,
        source: m.source,
        internalDate: d instanceof Date ? d : d ? new Date(d) : null,
      });
    }
    fetched += mails.length;
    const hold = await handle(mails);
    if (hold !== null && (holdAt === null || hold < holdAt)) holdAt = hold;
  }
  // the cursor stays before a held mail: the next scan reads it (and what follows) again, and the
  // signals already stored are not stored twice (their ids come from the facts)
  if (holdAt !== null) last = Math.min(last, Math.max(after, holdAt - 1));
  return {
    cursor: { uidValidity, lastUid: last, scannedAt: new Date().toISOString() },
    scanned,
    fetched,
    reset,
  };
}
