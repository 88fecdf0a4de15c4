import { describe, expect, it } from 'vitest';
import {
  decodeInMemoryBinding,
  IncompatiblePlanError,
  isUrlAbsolute,
  LivePlan,
  parseFlowInterfaceUrl,
  pythonNamedFormat,
  resolveBinding,
  urlencode,
} from '../../../../src/main/engine/executor';
import { toJson } from '../../../../src/main/engine/json';
import { World } from '../fixtures';
import { bindStage } from './helpers';

describe('executor utilities', () => {
  it('isUrlAbsolute follows Python urlparse(url).netloc', () => {
    expect(isUrlAbsolute('/if/user/')).toBe(false);
    expect(isUrlAbsolute('relative/path')).toBe(false);
    expect(isUrlAbsolute('https:relative')).toBe(false);
    expect(isUrlAbsolute('javascript:alert(1)')).toBe(false);
    expect(isUrlAbsolute('https://example.com')).toBe(true);
    expect(isUrlAbsolute('//example.com/x')).toBe(true);
    expect(isUrlAbsolute(' \t//example.com')).toBe(true);
    expect(isUrlAbsolute('///x')).toBe(false);
  });

  it('urlencode is quote_plus; flow interface URLs round-trip', () => {
    expect(urlencode({ next: '/a b?c=d&e', x: 'ü~' })).toBe('next=%2Fa+b%3Fc%3Dd%26e&x=%C3%BC~');
    expect(parseFlowInterfaceUrl('/if/flow/my-flow/?next=%2Fa+b')).toEqual({ flow_slug: 'my-flow', query: { next: '/a b' } });
    expect(parseFlowInterfaceUrl('https://x/if/flow/a/')).toBeNull();
  });

  it('pythonNamedFormat: %(key)s, %(key)r, %%, width; anything else raises', () => {
    expect(pythonNamedFormat('%(app)s — %(user)r 100%%', { app: 'A', user: 'u' })).toBe("A — 'u' 100%");
    expect(pythonNamedFormat('[%(app)-4s]', { app: 'A' })).toBe('[A   ]');
    expect(() => pythonNamedFormat('%(x)s', {})).toThrow();
    expect(() => pythonNamedFormat('%s', { a: 'b' })).toThrow();
    expect(() => pythonNamedFormat('%(a)d', { a: 'b' })).toThrow();
  });

  it('LivePlan: insert_stage as the next stage, append_stage at the end, JSON-shaped for policies', async () => {
    const world = new World();
    const flow = world.flow();
    const s1 = bindStage(world, flow, 0, { name: 's1' });
    const extra = world.stage({ name: 'extra' });
    let n = 0;
    const live = new LivePlan({ version: 1, flow_pk: flow.pk, bindings: [s1.binding.pk], markers: ['plain'], context: { a: 1 } }, () => `id-${(n += 1)}`);
    live.append_stage(extra);
    live.insert_stage({ kind: 'authentik.flows.stage.RedirectStage', config: { destination: '/x' } }, 'reevaluate');
    expect(live.markers).toEqual(['plain', 'reevaluate', 'plain']);
    const inserted = resolveBinding(world.ws, live.bindings[1]!);
    expect(inserted).toMatchObject({ pk: null, order: 0, invalid_response_action: 'retry', stage: { pk: null, in_memory: true, config: { destination: '/x' } } });
    expect(inserted.stage.name).toBe('Dynamic In-memory stage: authentik.flows.stage.RedirectStage');
    const appended = resolveBinding(world.ws, live.bindings[2]!);
    expect(appended).toMatchObject({ pk: null, stage: { pk: extra.pk, name: 'extra', in_memory: false } });
    expect(decodeInMemoryBinding(live.bindings[2]!)).toEqual({ id: 'id-1', order: 0, stage: { pk: extra.pk } });
    expect(toJson(live)).toEqual({ version: 1, flow_pk: flow.pk, bindings: live.bindings, markers: live.markers, context: { a: 1 } });
    live.pop();
    expect(live.toPlan().bindings).toHaveLength(2);
    expect(live.has_stages).toBe(true);
    expect(() => resolveBinding(world.ws, 'inmemory:{broken')).toThrow(IncompatiblePlanError);
  });
});
