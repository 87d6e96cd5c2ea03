import { z } from 'zod';
import { PROSPECT_LANGUAGES } from './i18n/prospect';

/** the languages Blitz writes to prospects in (i18n/prospect), as the app's inputs take it */
export const ProspectLanguageSchema = z.enum(PROSPECT_LANGUAGES);
