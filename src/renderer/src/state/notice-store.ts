import { create } from 'zustand';

export interface Notice {
  readonly id: number;
  readonly tone: 'success' | 'warning';
  readonly text: string;
}

interface NoticeState {
  notice: Notice | null;
  show(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/**
 * One short message about something that just happened outside any dialog (an import that
 * committed, dropped files that were ignored). A newer notice replaces the older one.
 */
export const useNoticeStore = create<NoticeState>()((set) => ({
  notice: null,
  show: (tone, text) => set({ notice: { id: nextId++, tone, text } }),
  dismiss: (id) => set((state) => (state.notice?.id === id ? { notice: null } : state)),
}));
