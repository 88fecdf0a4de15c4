import { useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type Theme = 'light' | 'dark';

interface ThemeState {
  /** null = follow the system (`prefers-color-scheme`). */
  preference: Theme | null;
  setPreference(preference: Theme | null): void;
}

export const THEME_STORAGE_KEY = 'flowbench.theme';

export const useThemeStore = create<ThemeState>()(
  persist(
    (set) => ({
      preference: null,
      setPreference: (preference) => set({ preference }),
    }),
    {
      name: THEME_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ preference: state.preference }),
    },
  ),
);

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

export function systemTheme(): Theme {
  return darkQuery().matches ? 'dark' : 'light';
}

function subscribeSystem(listener: () => void): () => void {
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** The theme in force: the stored choice, else the system's. */
export function useEffectiveTheme(): Theme {
  const preference = useThemeStore((state) => state.preference);
  const system = useSyncExternalStore(subscribeSystem, systemTheme);
  return preference ?? system;
}

/** Sets `data-theme` on <html>; the CSS variables of each theme hang on it. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
