import type { SubjectPart } from '../subject/types';
import { deleteEventsWithTombstones } from './store';
import type { PrivacySql } from './types';

/**
 * The SubjectParts of the collector's own aggregates (issue 17 part 2), in the order an erasure
 * walks them: what hangs on a message or an offer before the message or offer. Each part runs
 * in its own transaction; an erasure interrupted between two parts is completed by running it
 * again (every part finds what is left). Written once over PrivacySql for both dialects.
 */
export function subjectParts(q: PrivacySql): SubjectPart[] {
  return [
    eventsPart(q, 'events', "e.type NOT LIKE 'mail.%'"),
    eventsPart(q, 'mailbox_signals', "e.type LIKE 'mail.%'"),
    legalConfirmationsPart(q),
    declarationsPart(q),
    likesPart(q),
    landingLocksPart(q),
    offerRecipientsPart(q),
    filesPart(q),
    offersPart(q),
    evidenceChainPart(q),
    trackersPart(q),
    messagesPart(q),
  ];
}

interface RecipientJson {
  email: string;
  name?: string;
}

interface MessageAbout {
  id: string;
  recipients: RecipientJson[];
  /** every recipient of the message is the subject: the message goes with them */
  sole: boolean;
  row: Record<string, unknown>;
}

/** `_` is LIKE's any-one character: the LIKE only narrows, the JSON decides */
async function messagesAbout(q: PrivacySql, accountId: string, email: string): Promise<MessageAbout[]> {
  const rows = await q.all<Record<string, unknown> & { id: string; recipients: string }>(
    'SELECT * FROM messages WHERE account_id = ? AND lower(recipients) LIKE ? ORDER BY seq',
    [accountId, `%"${email}"%`],
  );
  const out: MessageAbout[] = [];
  for (const row of rows) {
    const recipients = JSON.parse(row.recipients) as RecipientJson[];
    const mine = recipients.filter((r) => r.email.trim().toLowerCase() === email);
    if (mine.length === 0) continue;
    out.push({ id: row.id, recipients, sole: mine.length === recipients.length, row });
  }
  return out;
}

async function soleMessageIds(q: PrivacySql, accountId: string, email: string): Promise<string[]> {
  return (await messagesAbout(q, accountId, email)).filter((m) => m.sole).map((m) => m.id);
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** `json` columns parsed for the export, so it reads as data and not as strings in strings */
function parsed(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const out = { ...row };
  for (const c of columns) {
    const v = out[c];
    if (typeof v === 'string' && v !== '') {
      try {
        out[c] = JSON.parse(v);
      } catch {
        // kept as stored
      }
    }
  }
  return out;
}

/** the account's offers of the messages sent only to the subject */
async function soleOfferIds(q: PrivacySql, accountId: string, email: string): Promise<string[]> {
  const ids = await soleMessageIds(q, accountId, email);
  if (ids.length === 0) return [];
  const rows = await q.all<{ id: string }>(
    `SELECT id FROM offers WHERE account_id = ? AND message_id IN (${marks(ids.length)})`,
    [accountId, ...ids],
  );
  return rows.map((r) => r.id);
}

/** offer_recipients tokens of the subject in the account */
async function subjectTokens(q: PrivacySql, accountId: string, email: string): Promise<string[]> {
  const rows = await q.all<{ token: string }>(
    `SELECT r.token FROM offer_recipients r JOIN offers o ON o.id = r.offer_id
      WHERE o.account_id = ? AND lower(r.recipient_email) = ?`,
    [accountId, email],
  );
  return rows.map((r) => r.token);
}

/**
 * Events naming the address, and every event of a message sent only to it (a shared send's
 * events name nobody: they stay while another recipient does). Each deleted event leaves a
 * tombstone, so the desktops drop it on their next sync.
 */
function eventsPart(q: PrivacySql, kind: string, typeFilter: string): SubjectPart {
  const select = async (
    qq: PrivacySql,
    accountId: string,
    email: string,
  ): Promise<Record<string, unknown>[]> => {
    const sole = await soleMessageIds(qq, accountId, email);
    const bySole = sole.length > 0 ? ` OR e.message_id IN (${marks(sole.length)})` : '';
    return qq.all<Record<string, unknown>>(
      `SELECT e.* FROM events e WHERE e.account_id = ? AND ${typeFilter}
          AND (lower(e.recipient_email) = ?${bySole}) ORDER BY e.seq`,
      [accountId, email, ...sole],
    );
  };
  return {
    kind,
    async exportSubject(accountId, email) {
      return (await select(q, accountId, email)).map((r) => parsed(r, ['detail', 'reasons', 'signals']));
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx, touched) => {
        const rows = await select(tx, accountId, email);
        if (rows.length > 0) touched.add(accountId);
        return deleteEventsWithTombstones(
          tx,
          accountId,
          rows.map((r) => String(r.id)),
          'erasure',
        );
      });
    },
  };
}

/** a table of offer rows found by the subject's address or token, or by an offer sent only to them */
function offerRowsPart(
  q: PrivacySql,
  kind: string,
  table: string,
  where: (tokens: number, offers: number) => string,
  json: readonly string[],
  /** whether `where` starts with the address's placeholder */
  byAddress = true,
): SubjectPart {
  const args = async (
    qq: PrivacySql,
    accountId: string,
    email: string,
  ): Promise<{ sql: string; params: unknown[] }> => {
    const tokens = await subjectTokens(qq, accountId, email);
    const offers = await soleOfferIds(qq, accountId, email);
    return {
      sql: `${table} WHERE offer_id IN (SELECT id FROM offers WHERE account_id = ?) AND (${where(tokens.length, offers.length)})`,
      params: [accountId, ...(byAddress ? [email] : []), ...tokens, ...offers],
    };
  };
  return {
    kind,
    async exportSubject(accountId, email) {
      const a = await args(q, accountId, email);
      return (await q.all<Record<string, unknown>>(`SELECT * FROM ${a.sql}`, a.params)).map((r) =>
        parsed(r, json),
      );
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx) => {
        const a = await args(tx, accountId, email);
        return tx.run(`DELETE FROM ${a.sql}`, a.params);
      });
    },
  };
}

const byAddressTokenOrOffer = (tokens: number, offers: number): string =>
  [
    'lower(recipient_email) = ?',
    ...(tokens > 0 ? [`token IN (${marks(tokens)})`] : []),
    ...(offers > 0 ? [`offer_id IN (${marks(offers)})`] : []),
  ].join(' OR ');

/** legal confirmations (the full IP is kept only here and in declarations) */
function legalConfirmationsPart(q: PrivacySql): SubjectPart {
  return offerRowsPart(q, 'legal_confirmations', 'offer_evidence', byAddressTokenOrOffer, []);
}

function declarationsPart(q: PrivacySql): SubjectPart {
  return offerRowsPart(q, 'declarations', 'offer_declarations', byAddressTokenOrOffer, ['items']);
}

function offerRecipientsPart(q: PrivacySql): SubjectPart {
  return offerRowsPart(q, 'offer_recipients', 'offer_recipients', byAddressTokenOrOffer, []);
}

/** likes carry no address: the subject's by token, and all of an offer sent only to them */
function likesPart(q: PrivacySql): SubjectPart {
  return offerRowsPart(
    q,
    'likes',
    'offer_likes',
    (tokens, offers) =>
      [
        '1 = 0',
        ...(tokens > 0 ? [`token IN (${marks(tokens)})`] : []),
        ...(offers > 0 ? [`offer_id IN (${marks(offers)})`] : []),
      ].join(' OR '),
    [],
    false,
  );
}

/** the landing pages' archived-contact and rejected-deal locks of the address */
function landingLocksPart(q: PrivacySql): SubjectPart {
  const tables = ['landing_contact_locks', 'landing_deal_locks'] as const;
  return {
    kind: 'landing_locks',
    async exportSubject(accountId, email) {
      const out: Record<string, unknown>[] = [];
      for (const t of tables) {
        for (const r of await q.all<Record<string, unknown>>(
          `SELECT * FROM ${t} WHERE account_id = ? AND lower(email) = ?`,
          [accountId, email],
        ))
          out.push({ table: t, ...r });
      }
      return out;
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx) => {
        let n = 0;
        for (const t of tables)
          n += await tx.run(`DELETE FROM ${t} WHERE account_id = ? AND lower(email) = ?`, [accountId, email]);
        return n;
      });
    },
  };
}

/** files of offers sent only to the subject; a blob goes when no other offer refers to it */
function filesPart(q: PrivacySql): SubjectPart {
  const select = async (
    qq: PrivacySql,
    accountId: string,
    email: string,
  ): Promise<Record<string, unknown>[]> => {
    const offers = await soleOfferIds(qq, accountId, email);
    if (offers.length === 0) return [];
    return qq.all<Record<string, unknown>>(
      `SELECT * FROM offer_files WHERE offer_id IN (${marks(offers.length)}) ORDER BY offer_id, position`,
      offers,
    );
  };
  return {
    kind: 'files',
    exportSubject: (accountId, email) => select(q, accountId, email),
    async eraseSubject(accountId, email) {
      const hashes = await q.tx(async (tx) => {
        const rows = await select(tx, accountId, email);
        const offers = [...new Set(rows.map((r) => String(r.offer_id)))];
        if (offers.length > 0)
          await tx.run(`DELETE FROM offer_files WHERE offer_id IN (${marks(offers.length)})`, offers);
        return { rows: rows.length, sha: [...new Set(rows.map((r) => String(r.sha256)))] };
      });
      for (const sha of hashes.sha) {
        const [used] = await q.all<{ n: number }>('SELECT count(*) AS n FROM offer_files WHERE sha256 = ?', [
          sha,
        ]);
        if (Number(used?.n ?? 0) === 0) await q.removeBlob(sha);
      }
      return hashes.rows;
    },
  };
}

/** offers sent only to the subject (their property snapshot went to them alone) */
function offersPart(q: PrivacySql): SubjectPart {
  return {
    kind: 'offers',
    async exportSubject(accountId, email) {
      const ids = await soleOfferIds(q, accountId, email);
      if (ids.length === 0) return [];
      return (
        await q.all<Record<string, unknown>>(`SELECT * FROM offers WHERE id IN (${marks(ids.length)})`, ids)
      ).map((r) => parsed(r, ['property']));
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx) => {
        const ids = await soleOfferIds(tx, accountId, email);
        if (ids.length === 0) return 0;
        const m = marks(ids.length);
        for (const t of [
          'offer_likes',
          'offer_evidence',
          'offer_declarations',
          'offer_recipients',
          'offer_files',
        ])
          await tx.run(`DELETE FROM ${t} WHERE offer_id IN (${m})`, ids);
        return tx.run(`DELETE FROM offers WHERE id IN (${m})`, ids);
      });
    },
  };
}

/**
 * The evidence chain keeps its shape: a record about the subject is blanked (content and ref
 * gone, hash and link kept, so every later link still verifies — docs/evidence.md); an offer's
 * record, shared by its recipients and naming none of them, only loses its link to the address.
 */
function evidenceChainPart(q: PrivacySql): SubjectPart {
  type Row = {
    position: number;
    kind: string;
    ref: string;
    record: string;
    record_hash: string;
    link: string;
    appended_at: string;
  };
  const select = (qq: PrivacySql, accountId: string, email: string): Promise<Row[]> =>
    qq.all<Row>(
      `SELECT c.position, c.kind, c.ref, c.record, c.record_hash, c.link, c.appended_at
         FROM evidence_chain_subjects s JOIN evidence_chain c ON c.account_id = s.account_id AND c.position = s.position
        WHERE s.account_id = ? AND s.email = ? ORDER BY c.position`,
      [accountId, email],
    );
  return {
    kind: 'evidence_records',
    async exportSubject(accountId, email) {
      return (await select(q, accountId, email)).map((r) => ({
        ...r,
        position: Number(r.position),
        record: r.record ? JSON.parse(r.record) : null,
      }));
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx) => {
        const now = new Date().toISOString();
        let n = 0;
        for (const r of await select(tx, accountId, email)) {
          if (r.record === '' || (r.kind === 'offer' && !r.record.toLowerCase().includes(email))) continue;
          n += await tx.run(
            `UPDATE evidence_chain SET record = '', ref = ?, erased_at = ? WHERE account_id = ? AND position = ?`,
            [`erased:${Number(r.position)}`, now, accountId, r.position],
          );
        }
        await tx.run('DELETE FROM evidence_chain_subjects WHERE account_id = ? AND email = ?', [
          accountId,
          email,
        ]);
        return n;
      });
    },
  };
}

/** the trackers of the address (recipient and display name), and all of a message sent only to it */
function trackersPart(q: PrivacySql): SubjectPart {
  const where = (sole: number): string =>
    `message_id IN (SELECT id FROM messages WHERE account_id = ?) AND (lower(recipient_email) = ?${sole > 0 ? ` OR message_id IN (${marks(sole)})` : ''})`;
  return {
    kind: 'trackers',
    async exportSubject(accountId, email) {
      const sole = await soleMessageIds(q, accountId, email);
      return q.all<Record<string, unknown>>(
        `SELECT * FROM trackers WHERE ${where(sole.length)} ORDER BY message_id, position`,
        [accountId, email, ...sole],
      );
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx) => {
        const sole = await soleMessageIds(tx, accountId, email);
        return tx.run(`DELETE FROM trackers WHERE ${where(sole.length)}`, [accountId, email, ...sole]);
      });
    },
  };
}

/**
 * A message sent only to the subject is deleted (with any event left of it); in a message with
 * other recipients only the subject's entry leaves the recipient list, the others keep theirs.
 */
function messagesPart(q: PrivacySql): SubjectPart {
  return {
    kind: 'messages',
    async exportSubject(accountId, email) {
      // the other recipients are not the subject's to know: only their number is exported
      return (await messagesAbout(q, accountId, email)).map((m) => {
        const row = parsed(m.row, ['links']);
        const mine = m.recipients.filter((r) => r.email.trim().toLowerCase() === email);
        return { ...row, recipients: mine, otherRecipients: m.recipients.length - mine.length };
      });
    },
    async eraseSubject(accountId, email) {
      return q.tx(async (tx, touched) => {
        let n = 0;
        for (const m of await messagesAbout(tx, accountId, email)) {
          if (m.sole) {
            const left = await tx.all<{ id: string }>('SELECT id FROM events WHERE message_id = ?', [m.id]);
            if (left.length > 0) {
              await deleteEventsWithTombstones(
                tx,
                accountId,
                left.map((r) => r.id),
                'erasure',
              );
              touched.add(accountId);
            }
            await tx.run('DELETE FROM trackers WHERE message_id = ?', [m.id]);
            n += await tx.run('DELETE FROM messages WHERE id = ?', [m.id]);
          } else {
            const others = m.recipients.filter((r) => r.email.trim().toLowerCase() !== email);
            n += await tx.run('UPDATE messages SET recipients = ? WHERE id = ?', [
              JSON.stringify(others),
              m.id,
            ]);
          }
        }
        return n;
      });
    },
  };
}
