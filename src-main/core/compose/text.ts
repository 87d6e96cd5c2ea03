import type { TrackedLink } from './inject';

/** Replaces the absolute http(s) URLs of a text part with their tracked URLs. */
export function rewriteText(text: string, _links: readonly TrackedLink[]): string {
  // TODO
  return text;
}
