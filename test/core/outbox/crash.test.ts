import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDto } from '../../../src-shared/ipc';
import { startTestCollector, type TestCollector } from '../../support/collector';
import { readMailbox, startDovecot, type TestImapServer } from '../../support/mail-servers';
import { removeDir, tempDir, waitFor } from '../helpers';
import { pixelToken, spawnCore, startSmtp, type Child } from './harness';
import { outboxText } from '../../support/messages';

/**
 * The core runs in a child process and is SIGKILLed at each outbox step (and once in the middle
 * of an SMTP transaction); a fresh process on the same data folder must lose nothing and send
 * nothing twice.
 */
let col: TestCollector;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let imap: TestImapServer;
const dirs: string[] = [];

beforeAll(async () => {
  [col, smtp, imap] = await Promise.all([
    startTestCollector(),
    startSmtp(),
    startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([col?.close(), smtp?.close(), imap?.close()]);
  for (const d of dirs) removeDir(d);
});

const account = () => ({
  fromName: 'Maria Maklerin',
  fromEmail: 'maria@makler.example',
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' as const, user: '', password: '' },
  imap: {
    host: imap.host,
    port: imap.port,
    security: 'starttls' as const,
    user: imap.user,
    password: imap.password,
  },
});

const mailsOf = (activityId: string) => smtp.received.filter((m) => m.raw.includes(activityId));

async function activity(c: Child, id: string): Promise<ActivityDto | undefined> {
  const r = await c.call<ActivityDto[]>('activities.list', {});
  return r.value?.find((a) => a.id === id);
}

/** done: every copy accepted and the clean copy filed in Sent, exactly once and without tracking */
async function allSent(c: Child, id: string): Promise<ActivityDto> {
  const a = await waitFor(async () => {
    const x = await activity(c, id);
    return x && x.sentAt !== null && x.outboxState === 'filed' ? x : null;
  }, `activity ${id} filed`);
  const filed = (await readMailbox(imap, 'Sent')).filter((m) => m.raw.toString('utf8').includes(id));
  expect(filed).toHaveLength(1);
  expect(filed[0]!.raw.toString('utf8')).not.toMatch(/\/o\/[A-Za-z0-9_-]+/);
  expect(filed[0]!.flags).toContain('\\Seen');
  return a;
}

async function crashAt(parkAt: string | null, compose: object, onSmtpData?: (c: Child) => Promise<void>) {
  const dir = tempDir('blitz-crash-');
  dirs.push(dir);
  const c1 = await spawnCore(dir, parkAt ?? undefined);
  expect((await c1.call('settings.saveMailAccount', account())).ok).toBe(true);
  expect((await c1.call('settings.saveCollector', { url: col.url, token: col.agentToken })).ok).toBe(true);
  if (onSmtpData) smtp.state.beforeAccept = () => onSmtpData(c1);
  void c1.call('compose.send', compose).catch(() => undefined);
  const first = await c1.waitLine((l) => 'step' in l, 'first step');
  const activityId = (first.step as { activityId: string }).activityId;
  if (parkAt) await c1.waitLine((l) => l.parked === parkAt.split('#')[0], `parked at ${parkAt}`);
  else await waitFor(() => c1.proc.exitCode !== null || c1.proc.signalCode !== null, 'child killed');
  await c1.kill();
  const c2 = await spawnCore(dir);
  return { c2, activityId };
}

const shared = {
  to: ['anna@kunde.example', 'bert@kunde.example'],
  subject: 'Exposé',
  html: '<p>Hallo <a href="https://example.org/objekt/1">Objekt</a></p>',
  track: true,
  sendIndividually: false,
};

// each test starts two cores as tsx child processes: on a loaded machine that alone can take
// half a minute, so the margin is generous (the assertions, not the clock, decide)
describe('outbox survives SIGKILL at every step', { timeout: 120_000 }, () => {
  for (const step of ['queued', 'registered', 'sent']) {
    it(`killed at ${step}: resumes by itself and sends exactly once`, async () => {
      const { c2, activityId } = await crashAt(step, shared);
      try {
        const a = await allSent(c2, activityId);
        expect(a.tracked).toBe(true);
        const mails = mailsOf(activityId);
        expect(mails).toHaveLength(1);
        expect(mails[0]!.rcpt.sort()).toEqual(['anna@kunde.example', 'bert@kunde.example']);
        expect(pixelToken(mails[0]!)).toBeDefined();
      } finally {
        await c2.kill();
      }
    });
  }

  it('killed at sending (before the SMTP transaction): uncertain, nothing resent until the agent says retry', async () => {
    const { c2, activityId } = await crashAt('sending', shared);
    try {
      const a = await waitFor(async () => {
        const x = await activity(c2, activityId);
        return x?.outboxState === 'uncertain' ? x : null;
      }, 'uncertain');
      expect(outboxText(a.outboxError)).toMatch(/unterbrochen/);
      await new Promise((r) => setTimeout(r, 300));
      expect(mailsOf(activityId)).toHaveLength(0);
      expect((await c2.call('outbox.resolve', { activityId, action: 'retry' })).ok).toBe(true);
      await allSent(c2, activityId);
      expect(mailsOf(activityId)).toHaveLength(1);
    } finally {
      await c2.kill();
    }
  });

  it('killed inside the SMTP transaction: uncertain; mark_sent finishes without a second copy', async () => {
    const { c2, activityId } = await crashAt(null, shared, async (c) => c.kill());
    try {
      await waitFor(async () => (await activity(c2, activityId))?.outboxState === 'uncertain', 'uncertain');
      expect(mailsOf(activityId)).toHaveLength(1);
      expect((await c2.call('outbox.resolve', { activityId, action: 'mark_sent' })).ok).toBe(true);
      await allSent(c2, activityId);
      await new Promise((r) => setTimeout(r, 300));
      expect(mailsOf(activityId)).toHaveLength(1);
    } finally {
      await c2.kill();
    }
  });

  it('per-recipient send killed at the second copy: accepted recipients are never sent again', async () => {
    const individually = {
      ...shared,
      to: ['anna@kunde.example', 'bert@kunde.example', 'carl@kunde.example'],
      sendIndividually: true,
    };
    const { c2, activityId } = await crashAt('sending#2', individually);
    try {
      await waitFor(async () => (await activity(c2, activityId))?.outboxState === 'uncertain', 'uncertain');
      expect(mailsOf(activityId).map((m) => m.rcpt)).toEqual([['anna@kunde.example']]);
      expect((await c2.call('outbox.resolve', { activityId, action: 'retry' })).ok).toBe(true);
      await allSent(c2, activityId);
      const mails = mailsOf(activityId);
      expect(mails.map((m) => m.rcpt[0]).sort()).toEqual([
        'anna@kunde.example',
        'bert@kunde.example',
        'carl@kunde.example',
      ]);
      // identical visible headers, one tracker each
      expect(new Set(mails.map((m) => m.to)).size).toBe(1);
      expect(mails[0]!.to).toContain('carl@kunde.example');
      const pixels = mails.map(pixelToken);
      expect(pixels.every(Boolean)).toBe(true);
      expect(new Set(pixels).size).toBe(3);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(3);
    } finally {
      await c2.kill();
    }
  });
});
