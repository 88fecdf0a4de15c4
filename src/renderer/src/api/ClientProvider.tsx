import { type ReactNode, useEffect, useMemo } from 'react';
import { type AppClient } from './create-app-client';
import { QueryCache } from './query-cache';
import { type Services, ServicesContext } from './services-context';

/** Provides the one client of this window and the query cache that follows its events. */
export function ClientProvider({ app, children }: { app: AppClient; children: ReactNode }) {
  const services = useMemo<Services>(() => ({ ...app, cache: new QueryCache(app.client) }), [app]);
  useEffect(() => {
    const stopEvents = services.cache.start();
    const stopResync = services.onResync(() => services.cache.refetchAll());
    return () => {
      stopEvents();
      stopResync();
    };
  }, [services]);
  return <ServicesContext value={services}>{children}</ServicesContext>;
}
