import { evidence } from './evidence';
import { landing } from './landing';
import { mailboxScan } from './mailbox-scan';
import { metrics } from './metrics';
import { pixel } from './pixel';
import type { Scenario } from './types';

/** Every scenario `npm run bench` knows; add one module per scenario here. */
export const scenarios: readonly Scenario[] = [pixel, landing, evidence, mailboxScan, metrics];
