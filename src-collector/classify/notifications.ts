import { countsAsPerson, type Verdict } from '../../src-shared/events';
import { HOLD_CAP_MS, HoldQueue } from '../../src-shared/hold';
import type { Outcome } from './evaluate';

/**
 * The desktop notifications a replay of labelled hits would have raised (issue 21), with and
 * without the hold-back: each hit reaches the desktop the moment it arrives; without hold-back
 * a person's verdict at arrival notifies at once; with it, a held hit waits in the desktop's
 * HoldQueue (src-shared/hold.ts, the same code the desktop runs) and notifies at its release if
 * the verdict then — after every revision by a hit that arrived until that moment — still counts
 * as the person. Every hit counts on its own (the desktop's coalescing of repeated opens of one
 * person within minutes is left out: it hides alarms, right or false, equally).
 */
export interface NotificationFigures {
  /** notifications raised */
  notifications: number;
  /** notified, but the label is a machine (or the sender) */
  falseAlarms: number;
  falseAlarmRate: number;
  /** hits labelled as the person's that never notified */
  missedAlarms: number;
  /** hits labelled as the person's */
  personHits: number;
  /** delay of the person's notifications after their hit (ms) */
  delayMedianMs: number;
  delayP95Ms: number;
  delayMaxMs: number;
  /** person's notifications later than HOLD_CAP_MS */
  lateNotifications: number;
  /** hits whose verdict at the moment the desktop acted on it matches the label */
  decidedAccuracy: number;
  /** the person's hits that were held at all */
  heldPersonHits: number;
}

export const NOTIFY_GOAL = { falseAlarmRate: 0.005, maxDelayMs: HOLD_CAP_MS } as const;

interface Decided {
  outcome: Outcome;
  /** verdict the desktop acted on */
  verdict: Verdict;
  /** when it notified, if it did */
  notifiedAt?: number;
}

const verdictAt = (o: Outcome, t: number): Verdict =>
  o.revisedAt !== undefined && o.revisedAt <= t ? o.verdict : o.arrival;

function decideScenario(outcomes: readonly Outcome[], holdBack: boolean): Decided[] {
  const sorted = [...outcomes].sort((a, b) => a.at - b.at);
  const queue = new HoldQueue<Outcome>();
  const out: Decided[] = [];
  const release = (now: number): void => {
    for (const { item, releaseAt } of queue.takeDue(now)) {
      const verdict = verdictAt(item, releaseAt);
      const d: Decided = { outcome: item, verdict };
      if (countsAsPerson(verdict)) d.notifiedAt = releaseAt;
      out.push(d);
    }
  };
  for (const o of sorted) {
    release(o.at);
    if (holdBack && o.holdMs > 0 && countsAsPerson(o.arrival)) {
      queue.add('message', o, o.holdMs, o.at);
      continue;
    }
    const d: Decided = { outcome: o, verdict: o.arrival };
    if (countsAsPerson(o.arrival)) d.notifiedAt = o.at;
    out.push(d);
  }
  release(Number.POSITIVE_INFINITY);
  return out;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export function notificationFigures(outcomes: readonly Outcome[], holdBack: boolean): NotificationFigures {
  const byScenario = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const list = byScenario.get(o.scenario) ?? [];
    list.push(o);
    byScenario.set(o.scenario, list);
  }
  let notifications = 0;
  let falseAlarms = 0;
  let missedAlarms = 0;
  let personHits = 0;
  let correct = 0;
  let heldPersonHits = 0;
  const delays: number[] = [];
  for (const list of byScenario.values()) {
    for (const d of decideScenario(list, holdBack)) {
      const person = countsAsPerson(d.outcome.label);
      if (d.outcome.label === d.verdict) correct++;
      if (person) personHits++;
      if (person && holdBack && d.outcome.holdMs > 0) heldPersonHits++;
      if (d.notifiedAt === undefined) {
        if (person) missedAlarms++;
        continue;
      }
      notifications++;
      if (!person) falseAlarms++;
      else delays.push(d.notifiedAt - d.outcome.at);
    }
  }
  delays.sort((a, b) => a - b);
  return {
    notifications,
    falseAlarms,
    falseAlarmRate: notifications ? falseAlarms / notifications : 0,
    missedAlarms,
    personHits,
    delayMedianMs: quantile(delays, 0.5),
    delayP95Ms: quantile(delays, 0.95),
    delayMaxMs: delays[delays.length - 1] ?? 0,
    lateNotifications: delays.filter((d) => d > NOTIFY_GOAL.maxDelayMs).length,
    decidedAccuracy: outcomes.length ? correct / outcomes.length : 0,
    heldPersonHits,
  };
}

export function notificationGoalMet(f: NotificationFigures): boolean {
  return f.falseAlarmRate <= NOTIFY_GOAL.falseAlarmRate && f.lateNotifications === 0;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function formatNotifications(withHold: NotificationFigures, without: NotificationFigures): string {
  const row = (name: string, a: string, b: string): string =>
    `${name.padEnd(34)}${a.padStart(16)}${b.padStart(16)}`;
  const lines = [
    'notifications a replay would have raised (each hit on its own)',
    row('', 'with hold-back', 'without'),
    row('notifications', String(withHold.notifications), String(without.notifications)),
    row(
      `false alarms (goal ≤ ${NOTIFY_GOAL.falseAlarmRate * 100}%)`,
      `${withHold.falseAlarms} (${pct(withHold.falseAlarmRate)})`,
      `${without.falseAlarms} (${pct(without.falseAlarmRate)})`,
    ),
    row(
      'missed alarms (person never notified)',
      `${withHold.missedAlarms}/${withHold.personHits}`,
      `${without.missedAlarms}/${without.personHits}`,
    ),
    row('person held back', String(withHold.heldPersonHits), '0'),
    row('delay median', sec(withHold.delayMedianMs), sec(without.delayMedianMs)),
    row('delay p95', sec(withHold.delayP95Ms), sec(without.delayP95Ms)),
    row('delay max', sec(withHold.delayMaxMs), sec(without.delayMaxMs)),
    row(
      `later than ${HOLD_CAP_MS / 1000} s`,
      String(withHold.lateNotifications),
      String(without.lateNotifications),
    ),
    row('accuracy when the desktop decides', pct(withHold.decidedAccuracy), pct(without.decidedAccuracy)),
    `notification goal ${notificationGoalMet(withHold) ? 'MET' : 'MISSED'} (with hold-back)`,
  ];
  return lines.join('\n');
}
