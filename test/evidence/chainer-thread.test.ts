import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceChainer } from '../../src-collector/evidence/chainer';
import { ChainerThread } from '../../src-collector/evidence/chainer-thread';
import { hitPixel, register } from '../collector/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { checkStoredChain, type ChainRow, type HeadRow } from './chain-check';

const dirs: string[] = [];
const collectors: TestCollector[] = [];
afterAll(async () => {
  for (const c of collectors) await c.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function read(file: string, accountId: string) {
  const d = new Database(file, { readonly: true });
  try {
    return {
      rows: d
        .prepare('SELECT position, ref, record, record_hash, link FROM evidence_chain WHERE account_id = ? ORDER BY position')
        .all(accountId) as ChainRow[],
      head: d.prepare('SELECT position, link, event_seq FROM evidence_chain_heads WHERE account_id = ?').get(accountId) as
        | { position: number; link: string; event_seq: number }
        | undefined,
      signed: d
        .prepare('SELECT position, link, head, signature FROM evidence_signed_heads WHERE account_id = ? ORDER BY position')
        .all(accountId) as HeadRow[],
      lastSeq: d.prepare('SELECT last_seq FROM accounts WHERE id = ?').pluck().get(accountId) as number,
      events: d.prepare('SELECT id FROM events WHERE account_id = ?').pluck().all(accountId) as string[],
    };
  } finally {
    d.close();
  }
}

describe('the evidence chainer thread (SQLite file)', () => {
  it('chains in the background on its own thread and connection: every event once, a chain that verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-chainer-thread-'));
    dirs.push(dir);
    const db = join(dir, 'c.db');
    const keyFile = join(dir, 'key.pem');
    const c = await startTestCollector({ db, evidence: { keyFile, signEveryMs: 300 } });
    collectors.push(c);
    // a served collector on a file chains on a thread; nothing of the chain runs on this one
    expect(c.collector.evidence?.chainer).toBeInstanceOf(ChainerThread);

    const message = await register(c, c.agentToken, {
      sentIndividually: true,
      recipients: [{ email: 'anna@kunde.example' }, { email: 'ben@kunde.example' }],
      links: [],
    });
    for (let i = 0; i < 40; i++) expect((await hitPixel(message.trackers[i % 2]!.pixelUrl)).status).toBe(200);

    // no flush: the thread finds the commits itself (kicked by the collector) and signs the head
    let s = read(db, c.accountId);
    for (let i = 0; i < 300 && !(s.head?.event_seq === s.lastSeq && s.signed.at(-1)?.position === s.head.position); i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = read(db, c.accountId);
    }
    expect(s.head?.event_seq).toBe(s.lastSeq);
    const eventRefs = s.rows.filter((r) => r.ref.startsWith('event:')).map((r) => r.ref.slice(6).split('@')[0]);
    expect(eventRefs.length).toBe(new Set(eventRefs).size);
    expect(new Set(eventRefs)).toEqual(new Set(s.events));
    expect(s.rows.filter((r) => r.ref.startsWith('message:'))).toHaveLength(2);
    const pem = createPublicKey(createPrivateKey(readFileSync(keyFile, 'utf8'))).export({ type: 'spki', format: 'pem' }) as string;
    expect(checkStoredChain(s.rows, s.head, s.signed, pem)).toEqual([]);

    // an export asks the thread to chain and sign what is committed, then reads the chain here
    const more = await hitPixel(message.trackers[0]!.pixelUrl);
    expect(more.status).toBe(200);
    const out = await c.collector.evidence!.exportFor({ accountId: c.accountId, email: 'anna@kunde.example' });
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.file.records.filter((r) => (r.record as { kind: string }).kind === 'event')).toHaveLength(21);
  }, 90_000);

  it('BLITZ_EVIDENCE_THREAD=0 chains on the collector thread as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-chainer-inline-'));
    dirs.push(dir);
    process.env.BLITZ_EVIDENCE_THREAD = '0';
    try {
      const c = await startTestCollector({ db: join(dir, 'c.db'), evidence: { keyFile: join(dir, 'key.pem') } });
      collectors.push(c);
      expect(c.collector.evidence?.chainer).toBeInstanceOf(EvidenceChainer);
    } finally {
      delete process.env.BLITZ_EVIDENCE_THREAD;
    }
  });
});
