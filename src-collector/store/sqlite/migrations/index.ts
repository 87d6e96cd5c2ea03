import * as v1 from './001-initial';
import * as v2 from './002-message-time-index';
import * as v3 from './003-drop-message-seq-index';
import * as v4 from './004-office-network-setting';
// issue 16 (evidence chain)
import * as v5 from './005-evidence-chain';

export interface Migration {
  version: number;
  sql: string;
}

/** In order; a new schema version is a new file appended here, never an edit of a shipped one. */
export const migrations: readonly Migration[] = [v1, v2, v3, v4, v5];
