import { z } from 'zod';
import { countsAsPerson, Verdict, VERDICTS } from '../../src-shared/events';
import { classifySequence } from './sequence';
import type { Classifier, HitSignals } from './types';

/** One line of a labelled corpus file (shared/corpus/README.md). */
export const ScenarioHit = z.object({
  at: z.string(),
  kind: z.enum(['open', 'click', 'landing']),
  method: z.string(),
  ip: z.string(),
  ua: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  link: z.number().int().optional(),
  honeypot: z.boolean().optional(),
  action: z.string().optional(),
  label: Verdict,
});
export type ScenarioHit = z.infer<typeof ScenarioHit>;

export const Scenario = z.object({
  id: z.string().optional(),
  kind: z.string().optional(),
  sentAt: z.string(),
  links: z.number().int().nonnegative(),
  sender: z.object({
    ips: z.array(z.string()),
    /** issue 21: the account says its office shares a network with prospects */
    sharesNetwork: z.boolean().optional(),
  }),
  hits: z.array(ScenarioHit),
});
export type Scenario = z.infer<typeof Scenario>;

export type ParseResult = { ok: true; scenarios: Scenario[] } | { ok: false; line: number; message: string };

export function parseScenarios(text: string): ParseResult {
  const scenarios: Scenario[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      return { ok: false, line: i + 1, message: `invalid JSON: ${(e as Error).message}` };
    }
    const parsed = Scenario.safeParse(json);
    if (!parsed.success) return { ok: false, line: i + 1, message: z.prettifyError(parsed.error) };
    scenarios.push(parsed.data);
  }
  return { ok: true, scenarios };
}

export function toSignals(hit: ScenarioHit): HitSignals {
  const h = hit.headers;
  const headers: HitSignals['headers'] = {};
  for (const name of ['sec-purpose', 'purpose', 'accept', 'x-moz', 'x-purpose'] as const) {
    const v = h[name];
    if (v !== undefined) headers[name] = v;
  }
  const signals: HitSignals = {
    kind: hit.kind,
    method: hit.method,
    at: new Date(hit.at),
    ip: hit.ip,
    userAgent: hit.ua,
    headers,
  };
  if (hit.link !== undefined) signals.linkIndex = hit.link;
  if (hit.honeypot !== undefined) signals.honeypot = hit.honeypot;
  if (hit.action !== undefined) signals.action = hit.action;
  return signals;
}

export interface Outcome {
  scenario: string;
  label: Verdict;
  /** final verdict, after revisions by later hits */
  verdict: Verdict;
  /** verdict at arrival, before revisions */
  arrival: Verdict;
  reasons: string[];
  /** when the hit arrived (ms) */
  at: number;
  /** issue 21: how long the person's verdict is held before it notifies (0: not held) */
  holdMs: number;
  /** when a later hit revised this one (ms), if one did */
  revisedAt?: number;
}

/** Replays every scenario through the classifier in time order, as the collector sees them. */
export function replayScenarios(scenarios: readonly Scenario[], classifier: Classifier): Outcome[] {
  const out: Outcome[] = [];
  scenarios.forEach((s, n) => {
    const result = classifySequence(
      s.hits.map(toSignals),
      {
        sentAt: new Date(s.sentAt),
        linkCount: s.links,
        senderIps: s.sender.ips,
        sharesNetworkWithProspects: s.sender.sharesNetwork === true,
      },
      classifier,
    );
    for (const r of result) {
      const hit = s.hits[r.inputIndex];
      if (!hit) continue;
      const o: Outcome = {
        scenario: s.id ?? String(n),
        label: hit.label,
        verdict: r.verdict,
        arrival: r.arrivalVerdict,
        reasons: r.reasons,
        at: r.signals.at.getTime(),
        holdMs: r.hold?.ms ?? 0,
      };
      const by = r.revisedBy !== undefined ? result[r.revisedBy] : undefined;
      if (by) o.revisedAt = by.signals.at.getTime();
      out.push(o);
    }
  });
  return out;
}

export const GOAL = { accuracy: 0.97, humanCalledMachine: 0.01, scannerRecall: 0.95 } as const;

export interface Metrics {
  hits: number;
  scenarios: number;
  /** confusion[label][verdict] */
  confusion: Record<Verdict, Record<Verdict, number>>;
  perLabel: Record<Verdict, { support: number; precision: number | null; recall: number | null }>;
  accuracy: number;
  /** share of hits labelled human that got a verdict not counting as the person */
  humanCalledMachine: number;
  scannerRecall: number | null;
  /** the same accuracy for verdicts at arrival (no revisions) */
  arrivalAccuracy: number;
  goalMet: boolean;
}

export function computeMetrics(outcomes: readonly Outcome[]): Metrics {
  const zero = (): Record<Verdict, number> =>
    Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const confusion = Object.fromEntries(VERDICTS.map((v) => [v, zero()])) as Record<
    Verdict,
    Record<Verdict, number>
  >;
  let correct = 0;
  let arrivalCorrect = 0;
  let humans = 0;
  let humansLost = 0;
  for (const o of outcomes) {
    confusion[o.label][o.verdict]++;
    if (o.label === o.verdict) correct++;
    if (o.label === o.arrival) arrivalCorrect++;
    if (o.label === 'human') {
      humans++;
      if (!countsAsPerson(o.verdict)) humansLost++;
    }
  }
  const perLabel = Object.fromEntries(
    VERDICTS.map((v) => {
      const support = VERDICTS.reduce((n, p) => n + confusion[v][p], 0);
      const predicted = VERDICTS.reduce((n, l) => n + confusion[l][v], 0);
      const tp = confusion[v][v];
      return [
        v,
        { support, precision: predicted ? tp / predicted : null, recall: support ? tp / support : null },
      ];
    }),
  ) as Metrics['perLabel'];
  const n = outcomes.length;
  const accuracy = n ? correct / n : 0;
  const humanCalledMachine = humans ? humansLost / humans : 0;
  const scannerRecall = perLabel.scanner.recall;
  return {
    hits: n,
    scenarios: new Set(outcomes.map((o) => o.scenario)).size,
    confusion,
    perLabel,
    accuracy,
    humanCalledMachine,
    scannerRecall,
    arrivalAccuracy: n ? arrivalCorrect / n : 0,
    goalMet:
      accuracy >= GOAL.accuracy &&
      humanCalledMachine <= GOAL.humanCalledMachine &&
      (scannerRecall === null || scannerRecall >= GOAL.scannerRecall),
  };
}

const pct = (x: number | null): string => (x === null ? '   –  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatMetrics(m: Metrics, title: string): string {
  const w = 9;
  const lines: string[] = [];
  lines.push(`${title}: ${m.scenarios} scenarios, ${m.hits} hits`);
  lines.push('confusion (rows = label, columns = verdict)');
  lines.push(['label \\ got'.padEnd(12), ...VERDICTS.map((v) => v.padStart(w))].join(''));
  for (const l of VERDICTS)
    lines.push([l.padEnd(12), ...VERDICTS.map((v) => String(m.confusion[l][v]).padStart(w))].join(''));
  lines.push('');
  lines.push(
    `${'label'.padEnd(12)}${'support'.padStart(w)}${'precision'.padStart(11)}${'recall'.padStart(9)}`,
  );
  for (const l of VERDICTS) {
    const p = m.perLabel[l];
    lines.push(
      `${l.padEnd(12)}${String(p.support).padStart(w)}${pct(p.precision).padStart(11)}${pct(p.recall).padStart(9)}`,
    );
  }
  lines.push('');
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  lines.push(
    `accuracy               ${pct(m.accuracy)}  (goal ≥ ${GOAL.accuracy * 100}%)  ${mark(m.accuracy >= GOAL.accuracy)}`,
  );
  lines.push(
    `human called machine   ${pct(m.humanCalledMachine)}  (goal ≤ ${GOAL.humanCalledMachine * 100}%)   ${mark(m.humanCalledMachine <= GOAL.humanCalledMachine)}`,
  );
  lines.push(
    `scanner recall         ${pct(m.scannerRecall)}  (goal ≥ ${GOAL.scannerRecall * 100}%)  ${mark(m.scannerRecall === null || m.scannerRecall >= GOAL.scannerRecall)}`,
  );
  lines.push(`accuracy at arrival    ${pct(m.arrivalAccuracy)}  (before later hits revise earlier ones)`);
  lines.push(`goal ${m.goalMet ? 'MET' : 'MISSED'}`);
  return lines.join('\n');
}
