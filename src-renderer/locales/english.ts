import { en } from './en';
import { firstHourEn } from './first-hour.en';
import { listCountEn } from './list-count.en';

/** The English catalogue as i18n.ts merges it, in a chunk of its own (loaded on demand). */
export const english: Record<string, unknown> = { ...en, firstHour: firstHourEn, listCount: listCountEn };
