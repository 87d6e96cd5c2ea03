import type { ActivityPageDto, SettingsDto, StatusDto } from '../src-shared/ipc';
import type { Result } from '../src-shared/result';
import { resolveBridge } from './lib/bridge';
import { LIST_PAGE } from './lib/list-page';

/**
 * The first import of main.tsx, in the first chunk without React, i18next, zod or the views
 * (start.tsx brings them, loaded after it): the three answers the first screen needs are asked
 * for at once, in one request (lib/bridge.ts batches them), and travel while the rest of the
 * bundle is fetched, compiled and evaluated (`npm run profile:ui`: they used to leave only after
 * it, 100 ms and more into a list open on a loaded machine). Imports nothing but types and the
 * bridge.
 */
export interface BootRequests {
  settings: Promise<Result<SettingsDto>>;
  status: Promise<Result<StatusDto>>;
  /** the unfiltered list's first page (the search and filter start empty) */
  firstPage: Promise<Result<ActivityPageDto>>;
}

export const bridge = resolveBridge();

export const bootRequests: BootRequests = {
  settings: bridge.api.invoke('settings.get', {}),
  status: bridge.api.invoke('status.get', {}),
  firstPage: bridge.api.invoke('activities.page', { query: '', filter: 'all', offset: 0, limit: LIST_PAGE }),
};
