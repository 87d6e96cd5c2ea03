/**
 * Issue 17, access and erasure: every aggregate that holds something about a data subject (an
 * e-mail address within one account) contributes one `SubjectPart` per dialect. The subject
 * export and erasure (`subject export` / `subject erase`) walk the parts; a new aggregate that
 * stores addresses adds its part to the list in compose, and nothing else has to know it.
 *
 * `emailLower` is the address trimmed and lower-cased; a part matches it in any letter case and
 * also by any hash of it the part stores.
 */
export interface SubjectPart {
  /** the kind printed by `subject erase` and used as the export's section, e.g. 'events', 'consent' */
  readonly kind: string;
  /** every row this aggregate holds about the address, JSON-serialisable, nothing left out */
  exportSubject(accountId: string, emailLower: string): Promise<Record<string, unknown>[]>;
  /**
   * removes the address and what is linked only to it; another recipient's data of the same
   * message stays. Called only when no legal hold covers the address. Returns rows removed.
   */
  eraseSubject(accountId: string, emailLower: string): Promise<number>;
}
