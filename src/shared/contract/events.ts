import { z } from 'zod';

/** Events main pushes to every window/browser (IPC `webContents.send`, HTTP Server-Sent Events). */
export const events = {
  'workspace.changed': z.object({
    entity: z.enum(['flow', 'stage', 'binding', 'policy', 'policyBinding', 'prompt', 'user', 'group', 'workspace']),
    action: z.enum(['created', 'updated', 'deleted', 'replaced']),
    pk: z.union([z.string(), z.number()]).nullable(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.infer<Events[N]>;
export const eventNames = Object.keys(events) as EventName[];
