import { countsAsPerson, type Verdict } from '../../src-shared/events';
import type { Classifier, ClassifiedHit, HitContext, HitSignals, Hold } from '../classify/types';
import type { StoredClassification } from '../store/types';

export interface HitClassification extends StoredClassification {
  /** earlier hits (indexes into context.previous) the classifier now judges differently */
  revise: { index: number; verdict: Verdict; reasons: string[] }[];
  /** issue 21: a person's verdict a later hit could overturn; the desktop holds its notification */
  hold?: Hold;
}

/**
 * The classifier's answer, with the collector's own floor: a HEAD request never counts as the
 * person (it fetches no content), whatever the rule set says.
 */
export function classifyHit(classify: Classifier, hit: HitSignals, ctx: HitContext): HitClassification {
  let c: ReturnType<Classifier>;
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
  const revise = (c.revise ?? []).filter((r) => r.index >= 0 && r.index < ctx.previous.length);
  const out: HitClassification = { verdict, reasons, ipOwner: c.ipOwner ?? null, revise };
  if (c.hold && countsAsPerson(verdict)) out.hold = c.hold;
  return out;
}

export type { ClassifiedHit };
