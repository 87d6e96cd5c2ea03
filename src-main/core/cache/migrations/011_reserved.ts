import type { Migration } from './types';

/**
 * Version 11 is reserved for issue 17 part 1 (consent, branch c17); this no-op keeps the sequence
 * without gaps until that branch's migration takes its place at merge.
 */
export const migration011: Migration = {
  version: 11,
  name: 'reserved_consent',
  up() {},
};
