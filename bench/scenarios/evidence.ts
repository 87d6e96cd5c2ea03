import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { renderEvidencePdf } from '../../src-collector/evidence/pdf';
import { createAccount, createUser, startCollector } from '../../src-collector/server';
import type { NewHit } from '../../src-collector/store/types';
import { verifyEvidence } from '../../src-shared/evidence/verify';
import { wrk } from '../lib/wrk';
import { startBlitz } from './blitz-setup';
import type { BenchOptions, Row, Scenario } from './types';

const EXPORT_RECORDS = 10_000;

/**
 * Issue 16: pixel hits/s of the same durable SQLite collector with the evidence chain off
 * (BLITZ_EVIDENCE=0) and on, in one run (goal: on ≥ 0.9 × off), how long the chain lagged
 * behind after the load, and the export of one address with 10,000 records (goal < 2 s).
 */
export const evidence: Scenario = {
  name: 'evidence',
  description: 'pixel hits/s with and without the evidence chain; export of 10,000 records',
  async run(opts: BenchOptions): Promise<Row[]> {
    const rows: Row[] = [];
    // alternating, twice: a loaded machine drifts; each mode's better run is compared
    for (const on of [false, true, false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-ev-'));
      const file = join(dir, 'bench.db');
      const before = process.env.BLITZ_EVIDENCE;
      process.env.BLITZ_EVIDENCE = on ? '1' : '0';
      process.env.BLITZ_EVIDENCE_KEY = join(dir, 'key.pem');
      try {
        const b = await startBlitz('sqlite', { sqliteFile: file });
        try {
          if (opts.warmupS > 0) await wrk(b.server.url, b.pixelPaths, { ...opts, durationS: opts.warmupS });
          const r = await wrk(b.server.url, b.pixelPaths, opts);
          const done = Date.now();
          let lag = NaN;
          if (on) {
            // until the chain's cursor reached the account's last seq
            for (let i = 0; i < 600; i++) {
              const db = new Database(file, { readonly: true });
              const behind = db
                .prepare(
                  'SELECT a.last_seq - COALESCE(h.event_seq, 0) FROM accounts a LEFT JOIN evidence_chain_heads h ON h.account_id = a.id',
                )
                .pluck()
                .get() as number;
              db.close();
              if (behind === 0) {
                lag = Date.now() - done;
                break;
              }
              await new Promise((res) => setTimeout(res, 100));
            }
          }
          rows.push({
            scenario: 'evidence',
            server: `Blitz SQLite pixel, evidence chain ${on ? 'ON' : 'off'}`,
            connections: opts.connections,
            ...r,
            note: on ? `chain caught up ${Number.isFinite(lag) ? `${lag} ms` : 'not within 60 s'} after the load` : 'baseline',
          });
        } finally {
          await b.stop();
        }
      } finally {
        if (before === undefined) delete process.env.BLITZ_EVIDENCE;
        else process.env.BLITZ_EVIDENCE = before;
        delete process.env.BLITZ_EVIDENCE_KEY;
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const best = (on: boolean): Row =>
      rows.filter((r) => r.server.includes(on ? 'ON' : 'off')).sort((a, b) => b.rps - a.rps)[0]!;
    const off = best(false);
    const onBest = best(true);
    const summary: Row = {
      ...onBest,
      server: 'evidence chain ON vs off (better run of each)',
      ratio: off.rps > 0 ? onBest.rps / off.rps : NaN,
      note: `goal ≥ 0.90 (< 10 % fewer hits/s): off ${off.rps.toFixed(0)}/s, on ${onBest.rps.toFixed(0)}/s`,
    };
    rows.push(summary, await exportRow());
    return rows;
  },
};

async function exportRow(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-ev-export-'));
  const c = await startCollector({
    db: join(dir, 'c.db'),
    logLevel: 'silent',
    rateLimit: false,
    evidence: { keyFile: join(dir, 'key.pem'), signEveryMs: 3_600_000 },
  });
  try {
    const account = await createAccount(c.store, 'Bench');
    const user = await createUser(c.store, { accountId: account.id, email: 'a@b.example', name: 'A', role: 'admin' });
    const reg = await fetch(`${c.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'bench',
        subject: 'Exposé',
        sentIndividually: true,
        recipients: [{ email: 'anna@kunde.example', name: 'Anna' }],
        links: [],
      }),
    });
    const body = (await reg.json()) as { messageId: string; trackers: { pixelUrl: string }[] };
    const token = /\/o\/([^/.]+)\.gif/.exec(body.trackers[0]!.pixelUrl)![1]!;
    for (let n = 0; n < EXPORT_RECORDS - 1; n += 1000) {
      const batch: NewHit[] = [];
      for (let i = n; i < Math.min(n + 1000, EXPORT_RECORDS - 1); i++) {
        const at = new Date(Date.UTC(2026, 11, 1) + i * 60_000).toISOString();
        batch.push({
          id: randomUUID(),
          accountId: account.id,
          messageId: body.messageId,
          offerId: null,
          token,
          type: 'email.opened',
          recipientEmail: 'anna@kunde.example',
          occurredAt: at,
          detail: {},
          classification: { verdict: 'human', reasons: ['bench'], ipOwner: null },
          uaFamily: 'Chrome',
          os: 'Windows',
          signals: { kind: 'open', method: 'GET', at, ipPrefix: '203.0.113.0/24', userAgent: 'x', headers: {}, senderPrefixes: [] },
        });
      }
      await c.store.recordHits(batch);
    }
    const ev = c.evidence!;
    const t0 = performance.now();
    await ev.chainer.flush(account.id);
    const chainMs = performance.now() - t0;
    const t1 = performance.now();
    const out = await ev.exportFor({ accountId: account.id, email: 'anna@kunde.example' });
    if (!out.ok) throw new Error('export not signed');
    const text = JSON.stringify(out.file, null, 2);
    writeFileSync(join(dir, 'nachweis.json'), text);
    const jsonMs = performance.now() - t1;
    const t2 = performance.now();
    writeFileSync(join(dir, 'nachweis.pdf'), await renderEvidencePdf(out.file, out.records));
    const pdfMs = performance.now() - t2;
    const t3 = performance.now();
    const v = verifyEvidence(text);
    const verifyMs = performance.now() - t3;
    const total = jsonMs + pdfMs;
    return {
      scenario: 'evidence',
      server: `export of ${out.file.records.length} records (JSON + PDF)`,
      connections: 1,
      rps: out.file.records.length / (total / 1000),
      p50ms: total,
      p99ms: total,
      requests: out.file.records.length,
      errors: v.ok ? 0 : 1,
      ratio: total / 2000,
      note: `json ${jsonMs.toFixed(0)} ms, pdf ${pdfMs.toFixed(0)} ms (goal: together < 2000 ms; ratio = total/2 s); chaining them ${chainMs.toFixed(0)} ms; verify ${verifyMs.toFixed(0)} ms ${v.ok ? 'gültig' : 'FAILED'}`,
    };
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
