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
import type { BridgeKind } from '../lib/bridge';
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
  activities: ActivityDto[];
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
  loadActivities(): Promise<void>;
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
  activities: [],
  activitiesLoaded: false,
  query: '',
  filter: 'all',
  selectedId: null,
  selected: null,
  feed: null,
  toasts: [],
  listNotice: null,

  setView: (view) => set({ view }),
  setQuery: (query) => {
    set({ query, listNotice: null });
    scheduleListReload(120);
  },
  setFilter: (filter) => {
    set({ filter, listNotice: null });
    scheduleListReload(0);
  },

  select: (activityId) => {
    const fromList = activityId ? (get().activities.find((a) => a.id === activityId) ?? null) : null;
    set({ selectedId: activityId, selected: fromList, feed: null, view: 'activities' });
    if (!activityId) return;
    void loadFeed(activityId);
  },

  showSent: async (activityId) => {
    set({ view: 'activities', listNotice: null });
    await get().loadActivities();
    const { query, filter, activities } = get();
    if (!activities.some((a) => a.id === activityId) && (query !== '' || filter !== 'all')) {
      // the search or filter would hide the new mail: cleared, and said so above the list
      if (listTimer) clearTimeout(listTimer);
      listTimer = null;
      set({ query: '', filter: 'all', listNotice: 'firstHour.afterSend.filterCleared' });
      await get().loadActivities();
    }
    get().select(activityId);
  },

  loadActivities: async () => {
    const gen = ++listGeneration;
    const { query, filter } = get();
    const res = await call('activities.list', { query, filter });
    // a slower, older answer must not overwrite a newer search
    if (gen !== listGeneration) return;
    if (!res.ok) {
      get().pushToast({ kind: 'error', title: translateMessage(res.error.message) });
      return;
    }
    const selectedId = get().selectedId;
    const fresh = selectedId ? res.value.find((a) => a.id === selectedId) : undefined;
    set({ activities: res.value, activitiesLoaded: true, ...(fresh ? { selected: fresh } : {}) });
  },

  reloadSettings: async () => {
    const [settings, status] = await Promise.all([call('settings.get', {}), call('status.get', {})]);
    if (settings.ok) set({ settings: settings.value });
    if (status.ok) set({ status: status.value });
    if (!settings.ok) set({ fatal: settings.error });
  },

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

function scheduleListReload(delay: number): void {
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

export async function initStore(bridgeApi: BlitzApi, kind: BridgeKind): Promise<void> {
  api = bridgeApi;
  useApp.setState({ bridge: kind });
  bridgeApi.subscribe(onCoreEvent);
  await useApp.getState().reloadSettings();
  await useApp.getState().loadActivities();
  useApp.setState({ ready: true });
}
