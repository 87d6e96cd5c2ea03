/** English of list-count.de.ts */
export const listCountEn = {
  atLeast_one: 'at least {{count}} activity',
  atLeast_other: 'at least {{count}} activities',
};
