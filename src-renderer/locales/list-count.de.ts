/**
 * The activity list's count while a search is still being counted (issue 12, speed): the rows of
 * a keystroke come first, the total of a search in most activities a moment later. Merged under
 * `listCount`.
 */
export const listCountDe = {
  atLeast_one: 'mindestens {{count}} Aktivität',
  atLeast_other: 'mindestens {{count}} Aktivitäten',
};
