import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxState } from '../../../src-shared/ipc';
import { openCache, type Cache, type NewActivity } from '../../../src-main/core/cache';
import { createCollectorClient } from '../../../src-main/core/collector/client';
import type { MailAccount } from '../../../src-main/core/mail';
import {
  OUTBOX_STEPS,
  createStepContext,
  loadJob,
  FILE_ATTEMPTS_MAX,
  type OutboxDeps,
  type OutboxJob,
  type StepContext,
} from '../../../src-main/core/outbox/steps';
import { fileInSent } from '../../../src-main/core/outbox/steps/file';
import { loadMailAccount, passConfirmationGate } from '../../../src-main/core/outbox/steps/gate';
import { publishOffer } from '../../../src-main/core/outbox/steps/publish';
import { registerAtCollector } from '../../../src-main/core/outbox/steps/register';
import { composeUnit, sendPendingUnits, transmitUnit } from '../../../src-main/core/outbox/steps/send';
import { markSent, settleRefusals } from '../../../src-main/core/outbox/steps/settle';
import { startTestCollector, type TestCollector } from '../../support/collector';
import {
  freePort,
  readMailbox,
  startDovecot,
  startSmtpServer,
  type TestImapServer,
  type TestSmtpServer,
} from '../../support/mail-servers';
import { FAST_TIMING, quietLog, tempDir } from '../helpers';

/**
 * Each outbox step on its own (src-main/core/outbox/steps), against a real cache (SQLite), a real
 * collector, smtp-server (STARTTLS + AUTH, with refusals) and Dovecot. The whole pass and its
 * crash safety are covered by flows, not-filed and crash tests next to this file.
 */
let col: TestCollector;
let smtp: TestSmtpServer;
let imap: TestImapServer;

beforeAll(async () => {
  [col, smtp, imap] = await Promise.all([
    startTestCollector(),
    startSmtpServer(),
    startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
  ]);
});
const caches: Cache[] = [];
afterAll(async () => {
  for (const c of caches) c.close();
  await Promise.all([col?.close(), smtp?.close(), imap?.close()]);
});

const account = (): MailAccount => ({
  fromName: 'Maria Maklerin',
  fromEmail: 'maria@makler.example',
  smtp: { host: smtp.host, port: smtp.port, security: 'starttls', user: smtp.user, password: smtp.password },
  imap: { host: imap.host, port: imap.port, security: 'starttls', user: imap.user, password: imap.password },
});

interface Harness {
  cache: Cache;
  ctx: StepContext;
  /** every state the steps persisted, in order */
  states: OutboxState[];
  trackingDisabled: number;
}

function harness(extra: Partial<OutboxDeps> = {}): Harness {
  const cache = openCache(join(tempDir('blitz-steps-'), 'cache.sqlite'));
  caches.push(cache);
  const h: Harness = { cache, ctx: undefined as unknown as StepContext, states: [], trackingDisabled: 0 };
  h.ctx = createStepContext({
    cache,
    collector: () => createCollectorClient({ baseUrl: col.url, token: col.agentToken, timeoutMs: 3_000 }),
    mailAccount: async () => account(),
    onTrackingDisabled: () => void h.trackingDisabled++,
    mailOptions: { allowSelfSigned: true, connectTimeoutMs: 3_000 },
    timing: FAST_TIMING,
    log: quietLog,
    onStep: async (_id, state) => void h.states.push(state),
    ...extra,
  });
  return h;
}

function queue(h: Harness, over: Partial<NewActivity> = {}): OutboxJob {
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  h.cache.tx(() => {
    h.cache.activities.insert({
      id,
      kind: 'email',
      subject: `Besichtigung ${id}`,
      html: '<p>Termin: <a href="https://example.org/termin">hier</a></p>',
      text: 'Termin: https://example.org/termin',
      trackRequested: true,
      tracked: true,
      sentIndividually: false,
      messageId: `<${id}@makler.example>`,
      createdAt,
      sentAt: null,
      fromOtherDevice: false,
      recipients: [
        { kind: 'to', email: 'anna@kunde.example', name: 'Anna Alt' },
        { kind: 'cc', email: 'bert@kunde.example', name: null },
      ],
      attachments: [
        { filename: 'expose.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 x') },
      ],
      ...over,
    });
    h.cache.outbox.create(id, createdAt);
  });
  const job = loadJob(h.cache, id);
  if (!job) throw new Error('queued job not found');
  return job;
}

const outbox = (h: Harness, job: OutboxJob) => h.cache.outbox.get(job.id)!;
const received = (id: string) => smtp.received.filter((m) => m.raw.toString('utf8').includes(id));

/** register + account: the state sendPendingUnits starts from */
async function readyToSend(h: Harness, over: Partial<NewActivity> = {}): Promise<OutboxJob> {
  const job = queue(h, over);
  expect(await registerAtCollector(h.ctx, job)).toBe('next');
  expect(await loadMailAccount(h.ctx, job)).toBe('next');
  return job;
}

describe('the outbox pass is a list of named steps', () => {
  it('in this order', () => {
    expect(OUTBOX_STEPS.map(([name]) => name)).toEqual([
      'registerAtCollector',
      'publishOffer',
      'loadMailAccount',
      'passConfirmationGate',
      'sendPendingUnits',
      'settleRefusals',
      'markSent',
      'reportConfirmationSent',
      'fileInSent',
    ]);
  });
});

describe('registerAtCollector', () => {
  it('registers a tracked mail at the collector and plans its deliveries, once', async () => {
    const h = harness();
    const job = queue(h, {
      recipients: [
        { kind: 'to', email: 'anna@kunde.example', name: null },
        { kind: 'bcc', email: 'chef@makler.example', name: null },
      ],
    });
    expect(await registerAtCollector(h.ctx, job)).toBe('next');
    expect(h.states).toEqual(['registered']);
    // BCC gets its own unit and tracker: two trackers from the collector
    expect(job.deliveries.map((d) => [d.email, d.state])).toEqual([
      ['anna@kunde.example', 'pending'],
      ['chef@makler.example', 'pending'],
    ]);
    const [visible, bcc] = job.deliveries;
    expect(visible!.unit).not.toBe(bcc!.unit);
    expect(visible!.tracker?.pixelUrl).toMatch(new RegExp(`^${col.publicUrl}/o/`));
    expect(bcc!.tracker?.pixelUrl).not.toBe(visible!.tracker?.pixelUrl);
    expect(h.cache.activities.get(job.id)?.tracked).toBe(true);
    // already planned: the next pass does not register again
    expect(await registerAtCollector(h.ctx, loadJob(h.cache, job.id)!)).toBe('next');
    expect(h.states).toEqual(['registered']);
  });

  it('an untracked mail is planned without the collector', async () => {
    const h = harness({ collector: () => null });
    const job = queue(h, { tracked: false });
    expect(await registerAtCollector(h.ctx, job)).toBe('next');
    expect(job.deliveries.every((d) => d.tracker === null)).toBe(true);
    expect(outbox(h, job).state).toBe('registered');
  });

  it('a tracked mail without a collector fails; one whose collector is away waits with back-off', async () => {
    const none = harness({ collector: () => null });
    const job = queue(none);
    expect(await registerAtCollector(none.ctx, job)).toBe('stop');
    expect(outbox(none, job)).toMatchObject({
      state: 'failed',
      error: { message: { key: 'outboxNoCollector' } },
    });

    const port = await freePort();
    const away = harness({
      collector: () =>
        createCollectorClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'x', timeoutMs: 2_000 }),
    });
    const waiting = queue(away);
    const before = Date.now();
    expect(await registerAtCollector(away.ctx, waiting)).toBe('stop');
    const ob = outbox(away, waiting);
    expect(ob).toMatchObject({ state: 'waiting_collector', attempts: 1 });
    expect(ob.nextAttemptAt).toBeGreaterThan(before);
    expect(away.cache.outbox.deliveries(waiting.id)).toEqual([]);
  });
});

describe('publishOffer', () => {
  it('passes an e-mail through untouched and fails an offer when this core has no offers', async () => {
    const h = harness();
    const mail = await readyToSend(h);
    h.states.length = 0;
    expect(await publishOffer(h.ctx, mail)).toBe('next');
    expect(h.states).toEqual([]);

    const offer = queue(h, { kind: 'offer', tracked: false });
    expect(await registerAtCollector(h.ctx, offer)).toBe('next');
    expect(await publishOffer(h.ctx, offer)).toBe('stop');
    expect(outbox(h, offer)).toMatchObject({
      state: 'failed',
      error: { message: { key: 'outboxOffersUnsupported' } },
    });
  });
});

describe('loadMailAccount and passConfirmationGate', () => {
  it('no mail account fails the activity; a configured one is handed on', async () => {
    const h = harness({ mailAccount: async () => null });
    const job = queue(h);
    expect(await loadMailAccount(h.ctx, job)).toBe('stop');
    expect(outbox(h, job)).toMatchObject({
      state: 'failed',
      error: { message: { key: 'outboxNoMailAccount' } },
    });
    const ok = harness();
    const j2 = queue(ok);
    expect(await loadMailAccount(ok.ctx, j2)).toBe('next');
    expect(j2.account?.smtp.port).toBe(smtp.port);
  });

  it('a confirmation another desktop has is dropped; one without its claim waits', async () => {
    const answers: ('go' | 'drop' | 'wait')[] = ['drop', 'wait', 'go'];
    const asked: string[] = [];
    const h = harness({
      confirmations: {
        beforeSend: async (id) => (asked.push(id), answers.shift() ?? 'go'),
        afterSent: async () => undefined,
      },
    });
    const dropped = await readyToSend(h);
    expect(await passConfirmationGate(h.ctx, dropped)).toBe('stop');
    expect(outbox(h, dropped)).toMatchObject({
      state: 'failed',
      error: { message: { key: 'outboxConfirmationElsewhere' } },
    });
    const waits = await readyToSend(h);
    expect(await passConfirmationGate(h.ctx, waits)).toBe('stop');
    expect(outbox(h, waits)).toMatchObject({
      state: 'waiting_collector',
      attempts: 1,
      error: { message: { key: 'outboxConfirmationWaitsForCollector' } },
    });
    const goes = await readyToSend(h);
    expect(await passConfirmationGate(h.ctx, goes)).toBe('next');
    expect(asked).toEqual([dropped.id, waits.id, goes.id]);
  });
});

describe('sendPendingUnits (composeUnit + transmitUnit)', () => {
  it('sends each unit once over STARTTLS + AUTH: tracked HTML, the text part as written, the attachment', async () => {
    const h = harness();
    const job = await readyToSend(h, { sentIndividually: true });
    expect(await sendPendingUnits(h.ctx, job)).toBe('next');
    expect(job.deliveries.map((d) => d.state)).toEqual(['accepted', 'accepted']);
    expect(h.cache.activities.get(job.id)?.sentAt).not.toBeNull();
    const mails = received(job.id);
    expect(mails.map((m) => m.rcptTo)).toEqual([['anna@kunde.example'], ['bert@kunde.example']]);
    for (const m of mails) {
      expect(m.user).toBe(smtp.user);
      expect(m.secure).toBe(true);
    }
    const first = await simpleParser(mails[0]!.raw);
    expect(first.html).toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(first.html).not.toContain('href="https://example.org/termin"');
    expect(first.text?.trim()).toBe('Termin: https://example.org/termin');
    expect(first.attachments.map((a) => a.filename)).toEqual(['expose.pdf']);
    // the pass records 'sending' before each transaction
    expect(h.states.filter((s) => s === 'sending')).toHaveLength(2);
    // nothing pending any more: a second pass sends nothing
    expect(await sendPendingUnits(h.ctx, job)).toBe('next');
    expect(received(job.id)).toHaveLength(2);
  });

  it('a recipient the server refuses is failed alone; the others are accepted', async () => {
    smtp.rejectRecipient('niemand@kunde.example', 550, '5.1.1 no such user');
    const h = harness();
    const job = await readyToSend(h, {
      tracked: false,
      recipients: [
        { kind: 'to', email: 'anna@kunde.example', name: null },
        { kind: 'to', email: 'niemand@kunde.example', name: null },
      ],
    });
    const [unit] = [...new Set(job.deliveries.map((d) => d.unit))];
    const message = await composeUnit(h.ctx, job, unit!, account());
    expect(message?.members).toHaveLength(2);
    expect(await transmitUnit(h.ctx, job, message!, account())).toBe('next');
    const byEmail = Object.fromEntries(h.cache.outbox.deliveries(job.id).map((d) => [d.email, d]));
    expect(byEmail['anna@kunde.example']?.state).toBe('accepted');
    expect(byEmail['niemand@kunde.example']).toMatchObject({
      state: 'failed',
      error: { message: { key: 'outboxRecipientRefused' } },
    });
    expect(received(job.id)[0]?.rcptTo).toEqual(['anna@kunde.example']);
  });

  it('an SMTP server that is away: the unit goes back to pending and the activity retries', async () => {
    const port = await freePort();
    const h = harness({ mailAccount: async () => ({ ...account(), smtp: { ...account().smtp, port } }) });
    const job = await readyToSend(h, { tracked: false });
    const before = Date.now();
    expect(await sendPendingUnits(h.ctx, job)).toBe('stop');
    const ob = outbox(h, job);
    expect(ob).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(ob.nextAttemptAt).toBeGreaterThan(before);
    expect(h.cache.outbox.deliveries(job.id).map((d) => d.state)).toEqual(['pending', 'pending']);
    expect(h.states.slice(-2)).toEqual(['sending', 'retrying']);
  });
});

describe('settleRefusals and markSent', () => {
  it('refused recipients fail the activity by name; all accepted goes on; anything open stops', async () => {
    const h = harness();
    const job = await readyToSend(h, { tracked: false });
    expect(await settleRefusals(h.ctx, job)).toBe('stop');
    expect(outbox(h, job).state).toBe('registered');

    h.cache.outbox.setDeliveryState(job.id, 'anna@kunde.example', 'accepted', null);
    h.cache.outbox.setDeliveryState(job.id, 'bert@kunde.example', 'failed', {
      message: { key: 'outboxRecipientRefused', params: {} },
      cause: null,
      detail: '550 5.1.1 no such user',
    });
    job.deliveries = h.cache.outbox.deliveries(job.id);
    expect(await settleRefusals(h.ctx, job)).toBe('stop');
    expect(outbox(h, job)).toMatchObject({
      state: 'failed',
      error: {
        message: { key: 'outboxNotDelivered', params: { who: 'bert@kunde.example' } },
        cause: { key: 'outboxRecipientRefused' },
        detail: '550 5.1.1 no such user',
      },
    });

    const fine = await readyToSend(h, { tracked: false });
    for (const d of fine.deliveries) h.cache.outbox.setDeliveryState(fine.id, d.email, 'accepted', null);
    fine.deliveries = h.cache.outbox.deliveries(fine.id);
    expect(await settleRefusals(h.ctx, fine)).toBe('next');
  });

  it('marks the activity sent once, and leaves a not_filed one as it is', async () => {
    const h = harness();
    const job = await readyToSend(h, { tracked: false });
    expect(await markSent(h.ctx, job)).toBe('next');
    expect(outbox(h, job)).toMatchObject({ state: 'sent', error: null, attempts: 0 });
    expect(h.cache.activities.get(job.id)?.sentAt).not.toBeNull();
    h.cache.outbox.update(job.id, { state: 'not_filed' }, new Date().toISOString());
    h.states.length = 0;
    expect(await markSent(h.ctx, job)).toBe('next');
    expect(outbox(h, job).state).toBe('not_filed');
    expect(h.states).toEqual([]);
  });
});

describe('fileInSent', () => {
  it('appends the clean copy (no pixel, links as written, Bcc kept) to Dovecot once', async () => {
    const h = harness();
    const job = await readyToSend(h, {
      recipients: [
        { kind: 'to', email: 'anna@kunde.example', name: null },
        { kind: 'bcc', email: 'chef@makler.example', name: null },
      ],
    });
    expect(await fileInSent(h.ctx, job)).toBe('next');
    expect(outbox(h, job)).toMatchObject({ state: 'filed', error: null });
    const copies = async () =>
      (await readMailbox(imap, 'Sent'))
        .map((m) => m.raw.toString('utf8'))
        .filter((raw) => raw.includes(job.id));
    const [copy] = await copies();
    expect(copy).toMatch(/^Bcc: chef@makler\.example/m);
    expect(copy).not.toContain('/o/');
    expect(copy).toContain('https://example.org/termin');
    // a pass cut short after the APPEND finds the copy and does not file it twice
    expect(await fileInSent(h.ctx, job)).toBe('next');
    expect(await copies()).toHaveLength(1);
  });

  it('an IMAP server that is away: retried as sent, then not_filed after FILE_ATTEMPTS_MAX', async () => {
    const port = await freePort();
    const h = harness();
    const job = await readyToSend(h, { tracked: false });
    job.account = { ...account(), imap: { ...account().imap, port } };
    expect(await fileInSent(h.ctx, job)).toBe('stop');
    expect(outbox(h, job)).toMatchObject({
      state: 'sent',
      attempts: 1,
      error: { message: { key: 'outboxNotFiled' }, cause: { key: 'imapConnectionRefused' } },
    });
    for (let i = 2; i < FILE_ATTEMPTS_MAX; i++) expect(await fileInSent(h.ctx, job)).toBe('stop');
    expect(outbox(h, job)).toMatchObject({ state: 'sent', attempts: FILE_ATTEMPTS_MAX - 1 });
    expect(await fileInSent(h.ctx, job)).toBe('stop');
    expect(outbox(h, job)).toMatchObject({
      state: 'not_filed',
      attempts: FILE_ATTEMPTS_MAX,
      nextAttemptAt: 0,
    });
  });
});
