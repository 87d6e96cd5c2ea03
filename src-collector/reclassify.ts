import type { ClassifiedHit, Classifier } from './classify/types';
import { classifyHit } from './hits/classify-hit';
import { fromStoredSignals } from './hits/signals';
import type { Store } from './store/types';

/**
 * Recomputes verdicts with the current classifier over the stored signals. Agents'
 * corrections stay as they are; a changed event gets a new seq so desktops pull it again.
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
    const previous: ClassifiedHit[] = [];
    for (const hit of await store.listHitsForMessage(messageId)) {
      events++;
      const { signals, senderIps } = fromStoredSignals(hit.signals);
      const c = classifyHit(classify, signals, {
        sentAt: new Date(meta.sentAt),
        linkCount: meta.linkCount,
        senderIps,
        previous: previous.slice(-50),
      });
      // a corrected event keeps the agent's verdict, and later hits see that one
      const verdict = hit.correctedFrom ? hit.classification.verdict : c.verdict;
      previous.push({ signals, verdict, reasons: c.reasons });
      if (hit.correctedFrom) continue;
      if (await store.updateClassification(hit.id, c)) changed++;
    }
  }
  return { messages: ids.length, events, changed };
}
