import { createClassifier } from './rules';
import { classifySequence as replay, type BaseContext, type SequencedHit } from './sequence';
import type { Classifier, HitSignals } from './types';

/**
 * Verdict for one tracking hit from the hit and its context (issue 6). Rules and reason codes are
 * documented in README.md beside this file.
 */
export const classify: Classifier = createClassifier();

/** Replays a message's hits in time order through `classify` (or a given classifier). */
export function classifySequence(
  hits: readonly HitSignals[],
  baseContext: BaseContext,
  classifier: Classifier = classify,
): SequencedHit[] {
  return replay(hits, baseContext, classifier);
}

export { createClassifier, type ClassifierOptions } from './rules';
export type { BaseContext, SequencedHit } from './sequence';
export type { Classification, Classifier, ClassifiedHit, HitContext, HitSignals, Revision } from './types';
