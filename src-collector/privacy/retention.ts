import type { Logger } from 'pino';
import { BEHAVIOURAL_EVENT_TYPES, limitationEnds } from '../../src-shared/privacy';
import type { Store } from '../store/types';
import { eraseSubject } from './subject';

const DAY_MS = 86_400_000;

export interface RetentionReport {
  now: string;
  accounts: number;
  /**
   * rows deleted per kind: behavioural event types (`email.opened` …), `likes`, and for contacts
   * whose limitation period ended the erasure's kinds (`events`, `messages`, `evidence_records` …)
   */
  deleted: Record<string, number>;
  /** contacts erased because their limitation period ended */
  expiredContacts: number;
  /** contacts past their limitation period that a legal hold keeps */
  keptByHold: number;
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) if (v > 0) into[k] = (into[k] ?? 0) + v;
}

/**
 * One retention run over every account (docs/privacy.md): behavioural events older than the
 * account's period go (a held contact's stay), then every contact whose last record lies beyond
 * the limitation period (§§ 195, 199 BGB: three years from the end of that year) is erased
 * unless held. Each deletion leaves tombstones for the desktops' next sync.
 */
export async function runRetention(store: Pick<Store, 'privacy' | 'listAccountIds'>, now = new Date()): Promise<RetentionReport> {
  const report: RetentionReport = { now: now.toISOString(), accounts: 0, deleted: {}, expiredContacts: 0, keptByHold: 0 };
  for (const accountId of await store.listAccountIds()) {
    report.accounts++;
    const days = await store.privacy.retentionDays(accountId);
    const before = new Date(now.getTime() - days * DAY_MS);
    add(report.deleted, await store.privacy.deleteBehaviourBefore(accountId, BEHAVIOURAL_EVENT_TYPES, before));
    add(report.deleted, { likes: await store.privacy.deleteLikesBefore(accountId, before) });
    for (const s of await store.privacy.subjectsWithLastRecord(accountId)) {
      if (now.getTime() < limitationEnds(s.last).getTime()) continue;
      const out = await eraseSubject(store, {
        accountId,
        email: s.email,
        reason: `Aufbewahrungsfrist abgelaufen (letzter Eintrag ${s.last.getUTCFullYear()})`,
        cause: 'retention',
        now,
      });
      if (out.kept.length > 0) report.keptByHold++;
      else {
        report.expiredContacts++;
        add(report.deleted, out.erased);
      }
    }
  }
  return report;
}

/**
 * `serve` runs retention once a day (first an hour after the start, so a restart loop does not
 * run it each time); the timer does not keep the process alive. BLITZ_RETENTION=0 turns it off.
 */
export function scheduleRetention(
  store: Pick<Store, 'privacy' | 'listAccountIds'>,
  log: Logger,
  opts: { everyMs?: number; firstAfterMs?: number } = {},
): () => void {
  if (process.env.BLITZ_RETENTION === '0') {
    log.info('retention off (BLITZ_RETENTION=0)');
    return () => {};
  }
  const every = opts.everyMs ?? DAY_MS;
  let running = false;
  const run = (): void => {
    if (running) return;
    running = true;
    runRetention(store)
      .then((r) => log.info({ retention: r }, 'retention run'))
      .catch((e: unknown) => log.error({ err: e }, 'retention run failed'))
      .finally(() => {
        running = false;
      });
  };
  let interval: NodeJS.Timeout | null = null;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, every);
    interval.unref();
  }, opts.firstAfterMs ?? 3_600_000);
  first.unref();
  return () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
  };
}
