import { create } from 'zustand';

export type ConnectionState =
  | { status: 'unknown' }
  | { status: 'online' }
  | { status: 'offline'; message: string }
  | { status: 'unauthorized'; message: string };

interface ConnectionStore {
  connection: ConnectionState;
  report(next: ConnectionState): void;
}

/** Whether the last call reached main; drives the banner above the shell. */
export const useConnectionStore = create<ConnectionStore>()((set, get) => ({
  connection: { status: 'unknown' },
  report(next) {
    const current = get().connection;
    if (
      current.status === next.status &&
      ('message' in current ? current.message : '') === ('message' in next ? next.message : '')
    )
      return;
    set({ connection: next });
  },
}));
