import { countsAsPerson } from '../../src-shared/events';
import type { Classifier, ClassifiedHit, HitContext, HitSignals } from '../classify/types';
import type { StoredClassification } from '../store/types';

/**
 * The classifier's answer, with the collector's own floor: a HEAD request never counts as the
 * person (it fetches no content), whatever the rule set says.
 */
export function classifyHit(classify: Classifier, hit: HitSignals, ctx: HitContext): StoredClassification {
  let c;
  try {
    c = classify(hit, ctx);
  } catch {
    c = { verdict: 'scanner' as const, reasons: ['classifier.failed'] };
  }
  let { verdict, reasons } = c;
  if (hit.method === 'HEAD' && countsAsPerson(verdict)) {
    verdict = 'scanner';
    reasons = [...reasons, 'method.head'];
  }
  return { verdict, reasons, ipOwner: c.ipOwner ?? null };
}

export type { ClassifiedHit };
