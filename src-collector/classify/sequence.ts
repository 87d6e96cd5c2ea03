import type { Verdict } from '../../src-shared/events';
import type { ClassifiedHit, Classifier, HitContext, HitSignals, Hold } from './types';

export type BaseContext = Omit<HitContext, 'previous'>;

export interface SequencedHit extends ClassifiedHit {
  /** position of the hit in the list given to classifySequence */
  inputIndex: number;
  /** the verdict the hit got when it arrived, before any later hit revised it */
  arrivalVerdict: Verdict;
  ipOwner?: string;
  /** position (in the returned order) of the later hit whose classification revised this one */
  revisedBy?: number;
  /** issue 21: how long a person's verdict waits before it notifies, and why */
  hold?: Hold;
}

/**
 * Replays a message's hits in time order as the collector sees them: each hit is classified with
 * the earlier ones (and their current verdicts) as context, and revisions a later hit asks for
 * are applied to the earlier ones. Returns the hits in time order (ties keep input order).
 */
export function classifySequence(
  hits: readonly HitSignals[],
  baseContext: BaseContext,
  classifier: Classifier,
): SequencedHit[] {
  const order = hits
    .map((_, i) => i)
    .sort((a, b) => (hits[a]?.at.getTime() ?? 0) - (hits[b]?.at.getTime() ?? 0) || a - b);
  const done: SequencedHit[] = [];
  for (const inputIndex of order) {
    const signals = hits[inputIndex];
    if (!signals) continue;
    const previous: ClassifiedHit[] = done.map((d) => ({
      signals: d.signals,
      verdict: d.verdict,
      reasons: d.reasons,
    }));
    const c = classifier(signals, { ...baseContext, previous });
    const entry: SequencedHit = {
      signals,
      verdict: c.verdict,
      reasons: c.reasons,
      inputIndex,
      arrivalVerdict: c.verdict,
    };
    if (c.ipOwner !== undefined) entry.ipOwner = c.ipOwner;
    if (c.hold !== undefined) entry.hold = c.hold;
    done.push(entry);
    for (const r of c.revise ?? []) {
      const target = done[r.index];
      if (!target || r.index >= done.length - 1) continue;
      target.verdict = r.verdict;
      target.reasons = r.reasons;
      target.revisedBy = done.length - 1;
    }
  }
  return done;
}
