import { create } from 'zustand';
import type {
  ActivityDto,
  BlitzApi,
  CoreEvent,
  FeedDto,
  FeedItemDto,
  IpcArgs,
  IpcOperation,
  IpcResult,
  SettingsDto,
  StatusDto,
} from '../../src-shared/ipc';
import type { AppError, Result } from '../../src-shared/result';
import type { BootRequests } from '../boot';
import type { BridgeKind } from '../lib/bridge';
import { LIST_PAGE } from '../lib/list-page';
import { translateMessage } from '../lib/messages';
import { showBrowserNotification } from '../lib/browser-notify';

export type View = 'activities' | 'compose' | 'properties' | 'settings' | 'help';
export type ActivityFilter = 'all' | 'tracked' | 'with_events' | 'unseen' | 'pending';

export interface Toast {
  id: number;
  kind: 'notification' | 'info' | 'error';
  title: string;
  body?: string;
  activityId?: string;
}

interface AppState {
  bridge: BridgeKind;
  ready: boolean;
  fatal: AppError | null;
  view: View;
  status: StatusDto | null;
  settings: SettingsDto | null;
  /**
   * The list's rows as far as loaded, by page of LIST_PAGE (the virtual list asks for the pages it
   * shows); `activityTotal` is how many the search and filter find in all.
   */
  activityPages: ReadonlyMap<number, ActivityDto[]>;
  activityTotal: number;
  /**
   * false while a keystroke's total is being counted (`activities.count`, after the rows): then
   * `activityTotal` is only how many rows are loaded, and the list says „at least“
   */
  totalCounted: boolean;
  /** the search the loaded rows answer (shown as data-list-query for the benchmark and tests) */
  listQuery: string;
  /** activities with unseen events (the navigation's badge) */
  unseenCount: number;
  activitiesLoaded: boolean;
  query: string;
  filter: ActivityFilter;
  selectedId: string | null;
  /** last known DTO of the selected activity (it may be filtered out of the list) */
  selected: ActivityDto | null;
  feed: FeedDto | null;
  toasts: Toast[];
  setView(view: View): void;
  setQuery(q: string): void;
  setFilter(f: ActivityFilter): void;
  select(activityId: string | null): void;
  /**
   * after a send: the new activity is listed and selected. A search or filter that would hide it
   * is cleared, and `listNotice` says so.
   */
  showSent(activityId: string): Promise<void>;
  /** a one-line note above the activity list (e.g. why the search was cleared) */
  listNotice: string | null;
  /** reloads the list: its first page and the pages on screen */
  loadActivities(): Promise<void>;
  /** the rows first..last are on screen: loads the pages of them not loaded yet */
  showRows(first: number, last: number): void;
  reloadSettings(): Promise<void>;
  correctVerdict(eventId: string, verdict: FeedItemDto['verdict']): Promise<Result<FeedItemDto>>;
  resolveOutbox(
    activityId: string,
    action: IpcArgs<'outbox.resolve'>['action'],
  ): Promise<Result<ActivityDto>>;
  pushToast(t: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
}

let api: BlitzApi | null = null;

/** The renderer's only way out: window.blitz (or the host bridge behind the same interface). */
export function call<K extends IpcOperation>(op: K, args: IpcArgs<K>): Promise<Result<IpcResult<K>>> {
  if (!api) throw new Error('bridge not initialised');
  return api.invoke(op, args);
}

export { LIST_PAGE };

/** the row of an activity among the loaded pages, and its index in the list */
export function findLoaded(
  pages: ReadonlyMap<number, ActivityDto[]>,
  activityId: string,
): { activity: ActivityDto; index: number } | null {
  for (const [p, rows] of pages) {
    const i = rows.findIndex((a) => a.id === activityId);
    if (i >= 0) return { activity: rows[i]!, index: p * LIST_PAGE + i };
  }
  return null;
}

export function rowAt(pages: ReadonlyMap<number, ActivityDto[]>, index: number): ActivityDto | undefined {
  return pages.get(Math.floor(index / LIST_PAGE))?.[index % LIST_PAGE];
}

let listRun: Promise<void> | null = null;
/** the unfiltered first page asked for at boot (boot.ts), taken by the first reload */
let bootFirstPage: BootRequests['firstPage'] | null = null;
/** events arrived or a feed was seen since the badge was counted */
let unseenStale = false;
let listAgain = false;
let visibleRange: [number, number] = [0, 0];
const pagesLoading = new Set<number>();

/** the first page and the pages on screen, replacing what was loaded (older pages go stale) */
async function reloadList(): Promise<void> {
  const gen = ++listGeneration;
  const { query, filter } = useApp.getState();
  const onScreen = new Set<number>([0]);
  for (let p = Math.floor(visibleRange[0] / LIST_PAGE); p <= Math.floor(visibleRange[1] / LIST_PAGE); p++)
    onScreen.add(p);
  const early = bootFirstPage && query === '' && filter === 'all' ? bootFirstPage : null;
  bootFirstPage = null;
  // after a change of data the badge is counted again, during a search too (a keystroke leaves it be)
  const withUnseen = unseenStale;
  unseenStale = false;
  const answers = await Promise.all(
    [...onScreen].map((p) =>
      (p === 0 && early
        ? early
        : call('activities.page', {
            query,
            filter,
            offset: p * LIST_PAGE,
            limit: LIST_PAGE,
            withUnseen: withUnseen && p === 0,
            // the rows first; a total that needs a scan comes after them (countTotal)
            countLater: true,
          })
      ).then((r) => ({ p, r })),
    ),
  );
  // a slower, older answer must not overwrite a newer search
  if (gen !== listGeneration) return;
  const failed = answers.find((a) => !a.r.ok);
  if (failed && !failed.r.ok) {
    useApp.getState().pushToast({ kind: 'error', title: translateMessage(failed.r.error.message) });
    return;
  }
  const pages = new Map<number, ActivityDto[]>();
  let total: number | null = 0;
  let loadedRows = 0;
  let unseen: number | null = null;
  for (const { p, r } of answers) {
    if (!r.ok) continue;
    if (r.value.items.length > 0) pages.set(p, r.value.items);
    loadedRows = Math.max(loadedRows, p * LIST_PAGE + r.value.items.length);
    if (p === 0) {
      total = r.value.total;
      unseen = r.value.unseen;
    }
  }
  pagesLoading.clear();
  const s = useApp.getState();
  const fresh = s.selectedId ? findLoaded(pages, s.selectedId) : null;
  useApp.setState({
    activityPages: pages,
    // not counted yet: as many as are loaded, said as „at least“ until countTotal answers
    activityTotal: total ?? loadedRows,
    totalCounted: total !== null,
    listQuery: query,
    activitiesLoaded: true,
    ...(unseen !== null ? { unseenCount: unseen } : {}),
    ...(fresh ? { selected: fresh.activity } : {}),
  });
  // a key typed meanwhile reloads again and counts its own search
  if (total === null && !listAgain) void countTotal(gen, query, filter);
}

/** the total a keystroke's answer left for later: asked right after its rows */
async function countTotal(gen: number, query: string, filter: ActivityFilter): Promise<void> {
  const r = await call('activities.count', { query, filter });
  if (gen !== listGeneration) return;
  if (!r.ok) {
    useApp.getState().pushToast({ kind: 'error', title: translateMessage(r.error.message) });
    return;
  }
  useApp.setState({ activityTotal: r.value.total, totalCounted: true });
}

async function loadPage(p: number): Promise<void> {
  const gen = listGeneration;
  pagesLoading.add(p);
  const { query, filter } = useApp.getState();
  // the total is known (or being counted by countTotal): a page of rows need not count again
  const r = await call('activities.page', {
    query,
    filter,
    offset: p * LIST_PAGE,
    limit: LIST_PAGE,
    countLater: true,
  });
  pagesLoading.delete(p);
  if (gen !== listGeneration || !r.ok) return;
  const pages = new Map(useApp.getState().activityPages);
  pages.set(p, r.value.items);
  useApp.setState({
    activityPages: pages,
    ...(r.value.total !== null ? { activityTotal: r.value.total, totalCounted: true } : {}),
  });
}

async function loadSelected(activityId: string): Promise<void> {
  const r = await call('activities.get', { activityId });
  if (r.ok && useApp.getState().selectedId === activityId && !useApp.getState().selected)
    useApp.setState({ selected: r.value });
}

let toastSeq = 0;
let listTimer: ReturnType<typeof setTimeout> | null = null;
let listGeneration = 0;
let seenTimer: ReturnType<typeof setTimeout> | null = null;

function byTime(a: FeedItemDto, b: FeedItemDto): number {
  return a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0;
}

export const useApp = create<AppState>()((set, get) => ({
  bridge: 'http',
  ready: false,
  fatal: null,
  view: 'activities',
  status: null,
  settings: null,
  activityPages: new Map(),
  activityTotal: 0,
  totalCounted: true,
  listQuery: '',
  unseenCount: 0,
  activitiesLoaded: false,
  query: '',
  filter: 'all',
  selectedId: null,
  selected: null,
  feed: null,
  toasts: [],
  listNotice: null,

  setView: (view) => set({ view }),
  // no debounce: a keystroke's answer takes a few ms (cache/activities.ts, `npm run bench -- --only
  // ui`); while one is on its way, further keys coalesce into one reload (loadActivities). The
  // request leaves in the key's own event, before React renders the typed letter (a timer hop
  // waited behind that render and its frame: 10 ms and more per key in `npm run profile:ui`)
  setQuery: (query) => {
    set({ query, listNotice: null });
    reloadListNow();
  },
  setFilter: (filter) => {
    set({ filter, listNotice: null });
    reloadListNow();
  },

  select: (activityId) => {
    const fromList = activityId ? findLoaded(get().activityPages, activityId) : null;
    set({ selectedId: activityId, selected: fromList?.activity ?? null, feed: null, view: 'activities' });
    if (!activityId) return;
    void loadFeed(activityId);
    // not among the loaded rows (a notification of an older mail): its row comes on its own
    if (!fromList) void loadSelected(activityId);
  },

  showSent: async (activityId) => {
    set({ view: 'activities', listNotice: null });
    await get().loadActivities();
    const { query, filter, activityPages } = get();
    // the newest mail is in the first page whenever the search and filter let it through
    if (!activityPages.get(0)?.some((a) => a.id === activityId) && (query !== '' || filter !== 'all')) {
      // the search or filter would hide the new mail: cleared, and said so above the list
      if (listTimer) clearTimeout(listTimer);
      listTimer = null;
      set({ query: '', filter: 'all', listNotice: 'firstHour.afterSend.filterCleared' });
      await get().loadActivities();
    }
    get().select(activityId);
  },

  loadActivities: () => {
    // one reload on its way at a time; keys typed meanwhile make one more, with the newest query,
    // and every caller waits for the reload that answers what it asked
    if (listRun) {
      listAgain = true;
      return listRun;
    }
    listRun = (async () => {
      try {
        do {
          listAgain = false;
          await reloadList();
        } while (listAgain);
      } finally {
        listRun = null;
      }
    })();
    return listRun;
  },

  showRows: (first, last) => {
    visibleRange = [first, last];
    const { activityPages, activityTotal, activitiesLoaded } = get();
    if (!activitiesLoaded) return;
    const lastPage = Math.floor(Math.min(last, Math.max(0, activityTotal - 1)) / LIST_PAGE);
    for (let p = Math.floor(first / LIST_PAGE); p <= lastPage; p++) {
      if (!activityPages.has(p) && !pagesLoading.has(p)) void loadPage(p);
    }
  },

  reloadSettings: () => applySettings(call('settings.get', {}), call('status.get', {})),

  correctVerdict: async (eventId, verdict) => {
    const res = await call('feed.correctVerdict', { eventId, verdict });
    if (res.ok) {
      const feed = get().feed;
      if (feed) {
        set({
          feed: { ...feed, items: feed.items.map((i) => (i.eventId === eventId ? res.value : i)) },
        });
      }
    }
    return res;
  },

  resolveOutbox: async (activityId, action) => {
    const res = await call('outbox.resolve', { activityId, action });
    if (res.ok && get().selectedId === activityId) set({ selected: res.value });
    scheduleListReload(0);
    return res;
  },

  pushToast: (t) => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-2), { ...t, id }] }));
    setTimeout(() => get().dismissToast(id), t.kind === 'error' ? 10_000 : 6_000);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) })),
}));

function reloadListNow(): void {
  if (listTimer) clearTimeout(listTimer);
  listTimer = null;
  void useApp.getState().loadActivities();
}

/** a reload after a change of data (events, seen, outbox): the badge is counted again too */
function scheduleListReload(delay: number): void {
  unseenStale = true;
  if (listTimer) clearTimeout(listTimer);
  listTimer = setTimeout(() => {
    listTimer = null;
    void useApp.getState().loadActivities();
  }, delay);
}

let feedTimer: ReturnType<typeof setTimeout> | null = null;
function scheduleFeedReload(activityId: string): void {
  if (feedTimer) clearTimeout(feedTimer);
  feedTimer = setTimeout(() => {
    feedTimer = null;
    if (useApp.getState().selectedId === activityId) void loadFeed(activityId, true);
  }, 150);
}

async function loadFeed(activityId: string, refresh = false): Promise<void> {
  const res = await call('feed.get', { activityId });
  if (useApp.getState().selectedId !== activityId) return;
  if (!res.ok) {
    useApp.getState().pushToast({ kind: 'error', title: translateMessage(res.error.message) });
    return;
  }
  useApp.setState({ feed: { ...res.value, items: [...res.value.items].sort(byTime) } });
  if (!refresh || res.value.items.some((i) => i.isNew)) scheduleMarkSeen(activityId);
}

/** Seen once the agent has had the feed in front of them for a moment, not on a fly-by click. */
function scheduleMarkSeen(activityId: string): void {
  if (seenTimer) clearTimeout(seenTimer);
  seenTimer = setTimeout(() => {
    seenTimer = null;
    if (useApp.getState().selectedId !== activityId) return;
    void call('feed.markSeen', { activityId }).then(() => scheduleListReload(0));
  }, 1500);
}

function onCoreEvent(event: CoreEvent): void {
  const s = useApp.getState();
  switch (event.kind) {
    case 'activity.changed':
      scheduleListReload(150);
      // events applied without a live feed.event (catch-up after a gap, corrections) show up too
      if (event.activityId === s.selectedId) scheduleFeedReload(event.activityId);
      break;
    case 'feed.event': {
      if (event.activityId === s.selectedId && s.feed) {
        if (!s.feed.items.some((i) => i.eventId === event.item.eventId)) {
          useApp.setState({ feed: { ...s.feed, items: [...s.feed.items, event.item].sort(byTime) } });
          scheduleMarkSeen(event.activityId);
        }
      }
      scheduleListReload(150);
      break;
    }
    case 'notification':
      // Electron shows a native notification from the shell. In the browser: the browser's own
      // notification (seen even when the tab is in the background) and the in-app toast, whatever
      // view is open — the open feed shows the event too, but a toast is what catches the eye
      if (s.bridge === 'http') {
        showBrowserNotification(event, (id) => useApp.getState().select(id));
        s.pushToast({
          kind: 'notification',
          title: event.title,
          body: event.body,
          activityId: event.activityId,
        });
      }
      break;
    case 'status.changed':
      useApp.setState({ status: event.status });
      break;
    case 'settings.changed':
      void s.reloadSettings();
      break;
    case 'navigate':
      s.select(event.activityId);
      break;
  }
}

async function applySettings(
  settingsReq: Promise<Result<SettingsDto>>,
  statusReq: Promise<Result<StatusDto>>,
): Promise<void> {
  const [settings, status] = await Promise.all([settingsReq, statusReq]);
  useApp.setState({
    ...(settings.ok ? { settings: settings.value } : { fatal: settings.error }),
    ...(status.ok ? { status: status.value } : {}),
  });
}

/** `boot`: the answers boot.ts asked for before the bundle evaluated (else they are asked for here) */
export async function initStore(bridgeApi: BlitzApi, kind: BridgeKind, boot?: BootRequests): Promise<void> {
  api = bridgeApi;
  useApp.setState({ bridge: kind });
  bridgeApi.subscribe(onCoreEvent);
  bootFirstPage = boot?.firstPage ?? null;
  // side by side: the list does not wait for the settings
  await Promise.all([
    boot ? applySettings(boot.settings, boot.status) : useApp.getState().reloadSettings(),
    useApp.getState().loadActivities(),
  ]);
  useApp.setState({ ready: true });
}
