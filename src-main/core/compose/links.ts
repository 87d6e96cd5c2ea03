/**
 * The distinct absolute http(s) links of a message, in order of first appearance, that will be
 * tracked (see the module docs for what is left alone).
 */
export function extractTrackableLinks(_html?: string, _text?: string): string[] {
  // TODO
  return [];
}
