/**
 * npm run eval:verdicts -- FILE.jsonl [--json] [--holdout [SEED]]
 *
 * Replays every labelled scenario through the real classifier in time order, as the collector
 * sees the hits (the sender's IPs as context), and scores the verdicts. Exit code 1 when the goal
 * (accuracy ≥ 97 %, human called machine ≤ 1 %, scanner recall ≥ 95 %) is missed, 2 on bad input.
 *
 * It also prints the desktop notifications the replay would have raised, with and without the
 * notification hold-back (issue 21): false alarms, missed alarms and the person's delay; exit
 * code 1 too when false alarms exceed 0.5 % of notifications or a person waited more than 30 s.
 *
 * --holdout: splits the scenarios in two halves (seeded), tunes the classifier's time constants on
 * the first half only and reports both halves; the goal is judged on the held-out half.
 */
import { readFileSync } from 'node:fs';
import { classify } from '../src-collector/classify';
import {
  computeMetrics,
  formatMetrics,
  parseScenarios,
  replayScenarios,
} from '../src-collector/classify/evaluate';
import { holdoutCheck } from '../src-collector/classify/holdout';
import {
  formatNotifications,
  notificationFigures,
  notificationGoalMet,
} from '../src-collector/classify/notifications';

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const holdoutAt = argv.indexOf('--holdout');
  const holdoutSeedArg = holdoutAt >= 0 ? argv[holdoutAt + 1] : undefined;
  const holdoutSeed =
    holdoutSeedArg !== undefined && /^\d+$/.test(holdoutSeedArg) ? Number(holdoutSeedArg) : 1;
  const files = argv.filter(
    (a, i) => !a.startsWith('--') && !(holdoutAt >= 0 && i === holdoutAt + 1 && a === holdoutSeedArg),
  );
  const file = files[0];
  if (!file) {
    console.error('usage: npm run eval:verdicts -- FILE.jsonl [--json] [--holdout [SEED]]');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const parsed = parseScenarios(text);
  if (!parsed.ok) {
    console.error(`${file}:${parsed.line}: ${parsed.message}`);
    return 2;
  }

  if (holdoutAt >= 0) {
    const h = holdoutCheck(parsed.scenarios, holdoutSeed);
    if (json) console.log(JSON.stringify({ file, ...h }, null, 2));
    else {
      console.log(`held-out check on ${file} (seed ${holdoutSeed})`);
      console.log(`tuned on half A, options: ${JSON.stringify(h.tunedOptions)}`);
      console.log(formatMetrics(h.tune, 'half A (tuning)'));
      console.log('');
      console.log(formatMetrics(h.heldOut, 'half B (held out)'));
    }
    return h.heldOut.goalMet ? 0 : 1;
  }

  const outcomes = replayScenarios(parsed.scenarios, classify);
  const metrics = computeMetrics(outcomes);
  const notifications = {
    withHold: notificationFigures(outcomes, true),
    withoutHold: notificationFigures(outcomes, false),
  };
  const notifyOk = notificationGoalMet(notifications.withHold);
  if (json)
    console.log(JSON.stringify({ file, ...metrics, notifications, notificationGoalMet: notifyOk }, null, 2));
  else {
    console.log(formatMetrics(metrics, file));
    console.log('');
    console.log(formatNotifications(notifications.withHold, notifications.withoutHold));
  }
  return metrics.goalMet && notifyOk ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
