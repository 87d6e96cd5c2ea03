/**
 * Version 8 is reserved for issue 17 part 1 (consent, branch c17); this no-op keeps the sequence
 * without gaps until that branch's migration takes its place at merge.
 */
export const version = 8;
export const sql = `SELECT 1;`;
