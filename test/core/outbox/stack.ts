import { afterAll, beforeAll, expect } from 'vitest';
import type { ActivityDto } from '../../../src-shared/ipc';
import type { MailAccount } from '../../../src-main/core/mail';
import { startTestCollector, type TestCollector } from '../../support/collector';
import type { DomainProbeRig } from '../../support/domain-probe';
import { startDovecot, type TestImapServer } from '../../support/mail-servers';
import { startTestCore, waitFor, type TestCore } from '../helpers';
import { startSmtp } from './harness';

export type TestSmtp = Awaited<ReturnType<typeof startSmtp>>;

export interface OutboxServers {
  readonly col: TestCollector;
  readonly smtp: TestSmtp;
  readonly imap: TestImapServer;
  account(): MailAccount;
  mailsOf(id: string): TestSmtp['received'];
  core(collectorUrl?: string | null): Promise<TestCore>;
}

/**
 * The real servers every outbox test file talks to — a collector, smtp-server and Dovecot with a
 * \Sent folder — started once per file (beforeAll/afterAll are registered by the call), and the
 * agent's account on them. Read the servers through the returned object only inside tests.
 */
export function useOutboxServers(opts: { domainRig?: () => DomainProbeRig } = {}): OutboxServers {
  let col: TestCollector | undefined;
  let smtp: TestSmtp | undefined;
  let imap: TestImapServer | undefined;
  beforeAll(async () => {
    // issue 20: a rig (test/support/domain-probe.ts) the collector's tracking-domain probe goes through
    const rig = opts.domainRig?.();
    [col, smtp, imap] = await Promise.all([
      startTestCollector(rig ? { domainProbe: rig.domainProbe } : {}),
      startSmtp(),
      startDovecot({ mailboxes: [{ name: 'Sent', specialUse: '\\Sent' }] }),
    ]);
    rig?.attach(col.url);
  });
  afterAll(async () => {
    await Promise.all([col?.close(), smtp?.close(), imap?.close()]);
  });
  const started = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`outbox test servers: ${what} not started (used outside a test?)`);
    return v;
  };

  const stack: OutboxServers = {
    get col(): TestCollector {
      return started(col, 'collector');
    },
    get smtp(): TestSmtp {
      return started(smtp, 'SMTP server');
    },
    get imap(): TestImapServer {
      return started(imap, 'Dovecot');
    },
    /** the agent's account on these servers, as settings.saveMailAccount takes it */
    account(): MailAccount {
      return {
        fromName: 'Maria Maklerin',
        fromEmail: 'maria@makler.example',
        smtp: { host: '127.0.0.1', port: stack.smtp.port, security: 'none', user: '', password: '' },
        imap: {
          host: stack.imap.host,
          port: stack.imap.port,
          security: 'starttls',
          user: stack.imap.user,
          password: stack.imap.password,
        },
      };
    },
    /** the copies the SMTP server accepted for one activity */
    mailsOf: (id: string) => stack.smtp.received.filter((m) => m.raw.includes(id)),
    /** a core with the mail account and (unless null) this collector configured */
    async core(collectorUrl: string | null = stack.col.url): Promise<TestCore> {
      const t = await startTestCore({ mailOptions: { connectTimeoutMs: 2000, allowSelfSigned: true } });
      expect((await t.core.dispatch('settings.saveMailAccount', stack.account())).ok).toBe(true);
      if (collectorUrl)
        expect(
          (
            await t.core.dispatch('settings.saveCollector', {
              url: collectorUrl,
              token: stack.col.agentToken,
            })
          ).ok,
        ).toBe(true);
      return t;
    },
  };
  return stack;
}

export async function activity(t: TestCore, id: string): Promise<ActivityDto | undefined> {
  const r = await t.core.dispatch('activities.list', {});
  return r.ok ? r.value.find((a) => a.id === id) : undefined;
}

/** waits for the activity's outbox state; the error names the last state seen */
export function inState(t: TestCore, id: string, state: ActivityDto['outboxState'], timeoutMs = 15_000) {
  let last: ActivityDto | undefined;
  return waitFor(
    async () => {
      last = await activity(t, id);
      return last?.outboxState === state ? last : null;
    },
    String(state),
    timeoutMs,
  ).catch((e: unknown) => {
    throw new Error(`${String(e)}; last: ${JSON.stringify(last)}`);
  });
}

/** every copy accepted and the clean copy filed in Sent */
export const filed = (t: TestCore, id: string) =>
  waitFor(async () => {
    const a = await activity(t, id);
    return a?.sentAt && a.outboxState === 'filed' ? a : null;
  }, 'filed');
