import { create } from 'zustand';
import type { DraftInput, DraftSummaryDto } from '../../src-shared/drafts';
import { call } from './app';

const CURRENT_KEY = 'blitz.currentDraft';

function readCurrent(): string | null {
  try {
    return sessionStorage.getItem(CURRENT_KEY);
  } catch {
    return null;
  }
}

interface DraftState {
  /** the draft „Neue E-Mail“ shows; kept across view switches (and reloads of this tab) */
  currentId: string | null;
  list: DraftSummaryDto[];
  setCurrent(id: string | null): void;
  loadList(): Promise<void>;
  /** saves in the order called: a slow older save never overwrites a newer one */
  save(draft: DraftInput & { id: string }): Promise<boolean>;
  remove(id: string): Promise<void>;
}

let chain: Promise<unknown> = Promise.resolve();

export const useDrafts = create<DraftState>()((set, get) => ({
  currentId: readCurrent(),
  list: [],
  setCurrent: (id) => {
    try {
      if (id) sessionStorage.setItem(CURRENT_KEY, id);
      else sessionStorage.removeItem(CURRENT_KEY);
    } catch {
      // no session storage: the draft is still listed
    }
    set({ currentId: id });
  },
  loadList: async () => {
    const res = await call('drafts.list', {});
    if (res.ok) set({ list: res.value });
  },
  save: (draft) => {
    const next = chain.then(async () => {
      const res = await call('drafts.save', draft);
      return res.ok;
    });
    chain = next.catch(() => false);
    return next.then((saved) => {
      if (saved) void get().loadList();
      return saved;
    });
  },
  remove: async (id) => {
    await chain.catch(() => undefined);
    await call('drafts.delete', { id });
    if (get().currentId === id) get().setCurrent(null);
    await get().loadList();
  },
}));
