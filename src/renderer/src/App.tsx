import { useEffect } from 'react';
import { ClientProvider } from './api/ClientProvider';
import { type AppClient } from './api/create-app-client';
import { AppShell } from './components/shell/AppShell';
import { applyTheme, useEffectiveTheme } from './state/theme-store';

function ThemeSync() {
  const theme = useEffectiveTheme();
  useEffect(() => applyTheme(theme), [theme]);
  return null;
}

export function App({ app }: { app: AppClient }) {
  return (
    <ClientProvider app={app}>
      <ThemeSync />
      <AppShell />
    </ClientProvider>
  );
}
