import type { ClassifiedHit, Classifier } from './classify/types';
import { classifyHit } from './hits/classify-hit';
import { fromStoredSignals } from './hits/signals';
import type { Store, StoredClassification } from './store/types';
import { isMailboxHit } from './store/mailbox-rows';

/**
 * Recomputes verdicts with the current classifier over the stored signals, hit by hit in the
 * order they arrived (so revisions of earlier hits apply as they did live). Agents'
 * corrections stay; a changed event gets a new seq so desktops pull it again.
 */
export async function reclassify(
  store: Store,
  classify: Classifier,
  opts: { messageId?: string } = {},
): Promise<{ messages: number; events: number; changed: number }> {
  const ids = await store.listMessageIdsWithHits(opts.messageId);
  let events = 0;
  let changed = 0;
  for (const messageId of ids) {
    const meta = await store.getMessageMeta(messageId);
    if (!meta) continue;
    // issue 19: mailbox signals (replies, bounces) are no requests: nothing to classify
    const hits = (await store.listHitsForMessage(messageId)).filter((h) => !isMailboxHit(h));
    const previous: ClassifiedHit[] = [];
    const results: StoredClassification[] = [];
    for (const hit of hits) {
      const { signals, senderIps } = fromStoredSignals(hit.signals);
      const offset = Math.max(0, previous.length - 20);
      const { revise, ...c } = classifyHit(classify, signals, {
        sentAt: new Date(meta.sentAt),
        linkCount: meta.linkCount,
        senderIps,
        previous: previous.slice(offset),
      });
      for (const r of revise) {
        const at = offset + r.index;
        const p = previous[at];
        const res = results[at];
        if (!p || !res || hits[at]?.correctedFrom) continue;
        p.verdict = r.verdict;
        p.reasons = r.reasons;
        results[at] = { ...res, verdict: r.verdict, reasons: r.reasons };
      }
      // a corrected event keeps the agent's verdict, and later hits see that one
      const verdict = hit.correctedFrom ? hit.classification.verdict : c.verdict;
      previous.push({ signals, verdict, reasons: c.reasons });
      results.push(c);
    }
    for (const [i, hit] of hits.entries()) {
      events++;
      const c = results[i];
      if (!c || hit.correctedFrom) continue;
      if (await store.updateClassification(hit.id, c)) changed++;
    }
  }
  return { messages: ids.length, events, changed };
}
