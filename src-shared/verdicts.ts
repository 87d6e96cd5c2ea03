/** Definitions in shared/corpus/README.md. Only human and proxy count as the person's activity. */
export const VERDICTS = ['human', 'proxy', 'prefetch', 'scanner', 'preview', 'self'] as const;
export type VerdictName = (typeof VERDICTS)[number];

export function countsAsPerson(verdict: VerdictName): boolean {
  return verdict === 'human' || verdict === 'proxy';
}
