import { z } from 'zod';
import { type Db } from '../db';
import { parseJsonColumn, parseRow, stmt } from '../sql';

/**
 * Editor data stored beside a flow: node positions keyed by node id (binding pks and a few fixed
 * ids such as the start node) and the viewport. Never part of the flow's semantics. Kept loose
 * so the editor can add keys without a migration.
 */
export const canvasLayoutSchema = z
  .object({
    nodes: z.record(z.string(), z.object({ x: z.number(), y: z.number() }).loose()).default({}),
    viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).nullable().default(null),
  })
  .loose();
export type CanvasLayout = z.infer<typeof canvasLayoutSchema>;

export function getCanvasLayout(
  db: Db,
  flow: string,
): { layout: CanvasLayout; updated_at: string } | undefined {
  const row = stmt<{ layout: string; updated_at: string }>(
    db,
    'SELECT layout, updated_at FROM canvas_layout WHERE flow = ?',
  ).get(flow);
  if (!row) return undefined;
  const json = parseJsonColumn('canvas_layout', flow, 'layout', row.layout);
  const { layout } = parseRow(z.object({ layout: canvasLayoutSchema }), 'canvas_layout', flow, {
    layout: json,
  });
  return { layout, updated_at: row.updated_at };
}

export function putCanvasLayout(
  db: Db,
  flow: string,
  layout: CanvasLayout,
  updatedAt: string,
): void {
  stmt(
    db,
    `INSERT INTO canvas_layout (flow, layout, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (flow) DO UPDATE SET layout = excluded.layout, updated_at = excluded.updated_at`,
  ).run(flow, JSON.stringify(layout), updatedAt);
}

export function deleteCanvasLayout(db: Db, flow: string): boolean {
  return stmt(db, 'DELETE FROM canvas_layout WHERE flow = ?').run(flow).changes === 1;
}
