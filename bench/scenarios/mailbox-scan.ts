import { randomUUID } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ImapFlow } from 'imapflow';
import { openCache, type Cache } from '../../src-main/core/cache';
import { SCAN_HEADERS } from '../../src-main/core/mailbox/classify';
import { createMailboxService, type WatchedAccount } from '../../src-main/core/mailbox/service';
import type { LocalSignal } from '../../src-main/core/cache/mailbox';
import { startDovecot, type TestImapServer } from '../../test/support/mail-servers';
import type { Row, Scenario } from './types';
import { median } from '../lib/stats';

/**
 * Issue 19: the agent's INBOX with 10,000 mails (delivered into a real Dovecot's maildir), read once
 * by the watcher (src-main/core/mailbox/service.ts) and then followed: first-scan time, memory
 * (peak RSS and heap above the level before), and how long a new reply takes from APPEND to a
 * signal in the cache. Baselines in the same run: a plain imapflow FETCH of the same header fields
 * over the same folder (what any scan must at least do), and a plain IDLE client's EXISTS (the
 * earliest any watcher can learn of a new mail).
 */
const MAILS = 10_000;
const ACTIVITIES = 200;
const ROUNDS = 2;
const PICKUPS = 5;
const DOMAIN = 'makler.example';
const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function plainMail(i: number): string {
  const body = `Sehr geehrte Damen und Herren,\r\n\r\n${'dies ist eine gewöhnliche Nachricht im Posteingang. '.repeat(40)}\r\n\r\nMit freundlichen Grüßen\r\nAbsender ${i}\r\n`;
  return [
    `From: Absender ${i} <absender${i}@beispiel.example>`,
    `To: makler@${DOMAIN}`,
    `Subject: Newsletter Nr. ${i}`,
    `Date: ${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}`,
    `Message-ID: <plain-${i}@beispiel.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
  ].join('\r\n');
}

function replyMail(i: number, original: string, auto: boolean): string {
  return [
    `From: Interessent ${i} <kunde${i}@kunde.example>`,
    `To: makler@${DOMAIN}`,
    `Subject: ${auto ? 'Abwesenheitsnotiz' : 'Re: Exposé'} ${i}`,
    `Date: ${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}`,
    `Message-ID: <reply-${i}-${randomUUID()}@kunde.example>`,
    `In-Reply-To: ${original}`,
    `References: ${original}`,
    ...(auto ? ['Auto-Submitted: auto-replied'] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    auto
      ? 'Ich bin bis 14.12. nicht im Büro.'
      : 'Gern würde ich die Wohnung besichtigen.\r\n\r\n> Anbei das Exposé.',
    '',
  ].join('\r\n');
}

/** the sent activities the replies name, as the cache of the agent's desktop holds them */
function seedActivities(cache: Cache, ids: string[]): void {
  cache.tx(() => {
    for (const [i, id] of ids.entries())
      cache.activities.insert({
        id,
        kind: 'email',
        subject: `Exposé ${i}`,
        html: null,
        text: 'Anbei das Exposé.',
        trackRequested: true,
        tracked: true,
        sentIndividually: true,
        messageId: `<${id}@${DOMAIN}>`,
        createdAt: new Date(Date.UTC(2025, 11, 1)).toISOString(),
        sentAt: new Date(Date.UTC(2025, 11, 1)).toISOString(),
        fromOtherDevice: false,
        recipients: [{ kind: 'to', email: `kunde${i}@kunde.example`, name: `Interessent ${i}` }],
        attachments: [],
      });
  });
}

function imapClient(s: TestImapServer): ImapFlow {
  const c = new ImapFlow({
    host: s.host,
    port: s.port,
    secure: false,
    doSTARTTLS: true,
    auth: { user: s.user, pass: s.password },
    tls: { rejectUnauthorized: false },
    logger: false,
    disableAutoIdle: true,
  });
  c.on('error', () => undefined);
  return c;
}

/** peak RSS and heap above the level at the start, sampled while `fn` runs */
async function measured<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; rssMb: number; heapMb: number }> {
  gc();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - t0;
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
    return { value, ms, rssMb: (rss - base.rss) / 2 ** 20, heapMb: (heap - base.heapUsed) / 2 ** 20 };
  } finally {
    clearInterval(sample);
  }
}

/** the baseline: the same header fields of every mail, nothing done with them */
async function plainFetch(s: TestImapServer): Promise<number> {
  const c = imapClient(s);
  await c.connect();
  try {
    await c.mailboxOpen('INBOX', { readOnly: true });
    let n = 0;
    for await (const m of c.fetch('1:*', { uid: true, envelope: true, headers: SCAN_HEADERS }, { uid: true }))
      if (m.uid > 0) n++;
    return n;
  } finally {
    await c.logout();
  }
}

function watcher(s: TestImapServer, cache: Cache, onNew: (signals: LocalSignal[]) => void) {
  const watched: WatchedAccount = {
    key: `imap://${s.host}:${s.port}`,
    folder: 'INBOX',
    account: {
      fromName: 'Maria Maklerin',
      fromEmail: `makler@${DOMAIN}`,
      smtp: { host: '127.0.0.1', port: 9, security: 'none', user: '', password: '' },
      imap: { host: s.host, port: s.port, security: 'starttls', user: s.user, password: s.password },
    },
  };
  return createMailboxService({
    cache,
    // the scan and the cache, not the collector: reporting is a few POSTs per signal, measured elsewhere
    collector: () => null,
    watched: async () => watched,
    mailOptions: { allowSelfSigned: true, connectTimeoutMs: 10_000 },
    timing: { idleMs: 600_000, pollMs: 600_000, retryMs: 1_000 },
    log: quietLog,
    onNew: (signals) => onNew(signals),
    onReported: () => undefined,
  });
}

/**
 * Delivers the folder the way a local delivery agent does: one file per mail in the maildir's
 * `cur/` (Maildir is an open format Dovecot reads as its own), INTERNALDATE from the file's mtime.
 * Appending 10,000 mails over IMAP took 4–6 min on the 2-core build machine and measured nothing
 * the scan does; this takes about a second.
 */
function fillMaildir(s: TestImapServer, count: number, raw: (i: number) => string): void {
  const box = join(s.dir, 'mail', s.user);
  const root = process.getuid?.() === 0;
  for (const sub of ['', 'cur', 'new', 'tmp']) {
    mkdirSync(join(box, sub), { recursive: true });
    // as root Dovecot reads the mail as `nobody` (see startDovecot)
    if (root) chownSync(join(box, sub), 65534, 65534);
  }
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
    // zero-padded so that readdir order, and with it UID order, follows i
    const file = join(box, 'cur', `${Math.floor(at.getTime() / 1000)}.M${String(i).padStart(6, '0')}P1.bench:2,`);
    writeFileSync(file, raw(i));
    if (root) chownSync(file, 65534, 65534);
    utimesSync(file, at, at);
  }
}

/**
 * Dovecot assigns UIDs and builds its index at the first SELECT of new maildir files; a mail
 * appended over IMAP is indexed at APPEND. One untimed header FETCH puts both in the same state,
 * so neither the baseline nor the watcher pays for the delivery.
 */
async function warmUp(s: TestImapServer, expected: number): Promise<void> {
  const n = await plainFetch(s);
  if (n !== expected) throw new Error(`Dovecot sees ${n} mails in the maildir, expected ${expected}`);
}

export const mailboxScan: Scenario = {
  name: 'mailbox-scan',
  description: `issue 19: INBOX of ${MAILS.toLocaleString('en')} mails on Dovecot, first scan, memory, pick-up of one new reply`,
  async run(): Promise<Row[]> {
    const server = await startDovecot({ user: `makler@${DOMAIN}` });
    const dirs: string[] = [];
    try {
      const ids = Array.from({ length: ACTIVITIES }, () => randomUUID());
      // 10,000 mails: 2 % replies and 0.5 % out-of-office answers to Blitz mail, the rest ordinary
      const t0 = performance.now();
      let replies = 0;
      const isReply = (i: number) => i % 50 === 7;
      const isAuto = (i: number) => !isReply(i) && i % 200 === 13;
      for (let i = 0; i < MAILS; i++) if (isReply(i) || isAuto(i)) replies++;
      fillMaildir(server, MAILS, (i) => {
        const original = `<${ids[i % ACTIVITIES]!}@${DOMAIN}>`;
        return isReply(i) || isAuto(i) ? replyMail(i, original, isAuto(i)) : plainMail(i);
      });
      await warmUp(server, MAILS);
      const fillS = (performance.now() - t0) / 1000;
      process.stderr.write(`  delivered ${MAILS} mails into the maildir and indexed them in ${fillS.toFixed(1)} s\n`);

      const plain: Awaited<ReturnType<typeof measured<number>>>[] = [];
      const first: {
        ms: number;
        rssMb: number;
        heapMb: number;
        scanned: number;
        fetched: number;
        signals: number;
        /** replies and auto-replies in the folder at that scan (earlier rounds' pick-ups added) */
        answers: number;
      }[] = [];
      const pickups: number[] = [];
      const idleBase: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // each round's pick-ups leave their replies in the folder
        const inFolder = MAILS + round * PICKUPS;
        const p = await measured(() => plainFetch(server));
        if (p.value !== inFolder) throw new Error(`baseline read ${p.value} mails, expected ${inFolder}`);
        plain.push(p);

        const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-mailbox-'));
        dirs.push(dir);
        const cache = openCache(join(dir, 'cache.db'));
        seedActivities(cache, ids);
        let signals = 0;
        let waitingFor: ((s: LocalSignal[]) => void) | null = null;
        const svc = watcher(server, cache, (s) => {
          signals += s.length;
          waitingFor?.(s);
        });
        const scan = await measured(async () => {
          svc.start();
          // the first scan runs as soon as the watcher connected; its end sets lastScanAt
          for (;;) {
            const st = svc.state();
            if (st.error) throw new Error(`watcher: ${JSON.stringify(st.error)}`);
            if (st.lastScanAt && !st.scanning) return st;
            await new Promise((r) => setTimeout(r, 5));
          }
        });
        const st = scan.value;
        first.push({
          ms: scan.ms,
          rssMb: scan.rssMb,
          heapMb: scan.heapMb,
          scanned: st.lastScan?.scanned ?? 0,
          fetched: st.lastScan?.fetched ?? 0,
          signals,
          answers: replies + round * PICKUPS,
        });
        if (st.lastScan?.scanned !== inFolder)
          throw new Error(`watcher read ${st.lastScan?.scanned}, expected ${inFolder}`);

        // followed: a plain IDLE client beside the watcher, one new reply appended at a time
        const idler = imapClient(server);
        await idler.connect();
        await idler.mailboxOpen('INBOX', { readOnly: true });
        const appender = imapClient(server);
        await appender.connect();
        for (let k = 0; k < PICKUPS; k++) {
          // the watcher is back in IDLE after its scan (or after the previous pick-up)
          for (let i = 0; i < 2000 && !svc.state().idle; i++) await new Promise((r) => setTimeout(r, 5));
          const exists = new Promise<number>((resolve) =>
            idler.once('exists', () => resolve(performance.now())),
          );
          void idler.idle().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 50));
          const picked = new Promise<number>((resolve) => {
            waitingFor = () => resolve(performance.now());
          });
          const start = performance.now();
          await appender.append(
            'INBOX',
            replyMail(MAILS + round * PICKUPS + k, `<${ids[k]!}@${DOMAIN}>`, false),
            [],
          );
          const [tIdle, tPicked] = await Promise.all([exists, picked]);
          waitingFor = null;
          idleBase.push(tIdle - start);
          pickups.push(tPicked - start);
        }
        await appender.logout();
        await idler.logout().catch(() => idler.close());
        await svc.stop();
        cache.close();
      }

      const bestPlain = plain.reduce((a, b) => (b.ms < a.ms ? b : a));
      const bestFirst = first.reduce((a, b) => (b.ms < a.ms ? b : a));
      const mem = (r: { rssMb: number; heapMb: number }) =>
        `peak RSS +${r.rssMb.toFixed(0)} MB, heap +${r.heapMb.toFixed(0)} MB`;
      const row = (server: string, ms: number[], n: number, note: string, ratio?: number): Row => ({
        scenario: 'mailbox-scan',
        server,
        connections: 1,
        rps: (n / median(ms)) * 1000,
        p50ms: median(ms),
        p99ms: Math.max(...ms),
        requests: n,
        errors: 0,
        note,
        ...(ratio !== undefined ? { ratio } : {}),
      });
      const ratio = bestFirst.ms / bestPlain.ms;
      return [
        row(
          `plain imapflow FETCH of the scan headers, ${MAILS} mails (baseline)`,
          plain.map((p) => p.ms),
          MAILS,
          `best ${bestPlain.ms.toFixed(0)} ms; ${mem(bestPlain)}; delivering and indexing the folder took ${fillS.toFixed(0)} s`,
        ),
        row(
          `Blitz watcher first scan (connect, headers, ${bestFirst.fetched} candidates whole, classify, cache)`,
          first.map((f) => f.ms),
          MAILS,
          `best ${bestFirst.ms.toFixed(0)} ms; ${mem(bestFirst)}; ${bestFirst.signals} signals of ${bestFirst.answers} replies/auto-replies`,
          ratio,
        ),
        row(
          'plain IDLE client: EXISTS after APPEND (baseline)',
          idleBase,
          idleBase.length,
          `${idleBase.length} appends; p50 = median, p99 column = max`,
        ),
        row(
          'Blitz watcher: one new reply from APPEND to signal in the cache',
          pickups,
          pickups.length,
          `incremental scan of 1 mail after IDLE; ${(median(pickups) - median(idleBase)).toFixed(0)} ms after EXISTS`,
          median(pickups) / median(idleBase),
        ),
      ].map((r, i, all) =>
        i === all.length - 1
          ? {
              ...r,
              headline: `mailbox-scan: first scan of ${MAILS} mails ${bestFirst.ms.toFixed(0)} ms = ${ratio.toFixed(2)} × a plain header FETCH (${bestPlain.ms.toFixed(0)} ms); ${mem(bestFirst)}; a new reply in the cache ${median(pickups).toFixed(0)} ms after APPEND (plain IDLE EXISTS ${median(idleBase).toFixed(0)} ms)`,
            }
          : r,
      );
    } finally {
      await server.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
};
