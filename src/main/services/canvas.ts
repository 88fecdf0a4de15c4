import {
  type CanvasLayout,
  canvasLayoutSchema,
  getCanvasLayout,
  putCanvasLayout,
} from '../store/repos/canvas-layout';
import { type ServiceContext } from './context';
import { mapSqliteErrors, parseInput } from './errors';
import { requireFlow } from './flows';

export type { CanvasLayout } from '../store/repos/canvas-layout';

/**
 * Node positions of a flow's canvas. Editor data, not flow semantics: saving one emits no
 * `workspace.changed` event (not yet in the contract; the editor will call it through a procedure
 * when it needs to).
 */
export interface CanvasService {
  get(flow: string): CanvasLayout | null;
  save(flow: string, layout: unknown): CanvasLayout;
}

export function createCanvasService(ctx: ServiceContext): CanvasService {
  return {
    get: (flow) =>
      mapSqliteErrors(() => {
        requireFlow(ctx, flow);
        return getCanvasLayout(ctx.db, flow)?.layout ?? null;
      }),
    save(flow, layout) {
      const parsed = parseInput(canvasLayoutSchema, layout, ['layout']);
      return mapSqliteErrors(() =>
        ctx.write(() => {
          requireFlow(ctx, flow);
          putCanvasLayout(ctx.db, flow, parsed, ctx.clock().toISOString());
          return parsed;
        }),
      );
    },
  };
}
