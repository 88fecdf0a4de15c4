import { createContext, useContext } from 'react';
import { type AppClient } from './create-app-client';
import { type QueryCache } from './query-cache';

export interface Services extends AppClient {
  readonly cache: QueryCache;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() outside <ClientProvider>');
  return services;
}

/** The typed contract client (`client.call('flows.list')`). */
export function useClient() {
  return useServices().client;
}
