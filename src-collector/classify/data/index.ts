import { apple } from './apple';
import { appleRelay } from './apple-relay';
import { barracuda } from './barracuda';
import { cisco } from './cisco';
import { aws, azure, googleCloud } from './cloud';
import { googleMail } from './google-mail';
import { microsoftEop, microsoftEopGov } from './microsoft-eop';
import { mimecast } from './mimecast';
import { hornetsecurity, messagelabs, sophos, trendMicro } from './other-security';
import { linkedin, meta, telegram, twitter } from './previews';
import { proofpoint } from './proofpoint';
import type { RangeSource } from './types';
import { yahoo } from './yahoo';

export type { RangeCategory, RangeSource } from './types';

/** Every published range list; the most specific prefix wins where they nest. */
export const RANGE_SOURCES: readonly RangeSource[] = [
  apple,
  appleRelay,
  googleMail,
  yahoo,
  microsoftEop,
  microsoftEopGov,
  proofpoint,
  mimecast,
  barracuda,
  cisco,
  messagelabs,
  hornetsecurity,
  trendMicro,
  sophos,
  meta,
  telegram,
  twitter,
  linkedin,
  aws,
  googleCloud,
  azure,
];
