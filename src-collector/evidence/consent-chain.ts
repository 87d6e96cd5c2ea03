import type { EvidenceChainStore, NewChainEntry } from '../store/evidence/types';
import type { Store } from '../store/types';
import { consentRecord } from './records';

/** consents read per append, like the legal confirmations */
export const CONSENT_BATCH = 500;

/**
 * Issue 17: the account's consent records the chain does not hold yet, as chain entries. Call
 * after reading the head (like the offers and confirmations): when another instance chains them
 * meanwhile, the append finds the head moved.
 */
export async function pendingConsentEntries(
  chain: EvidenceChainStore,
  store: Store,
  accountId: string,
): Promise<NewChainEntry[]> {
  const chained = await chain.chainedIds(accountId, 'consent');
  const records = await store.consentsForChain(accountId, chained, CONSENT_BATCH);
  return records.map((c) => consentRecord(accountId, c));
}
