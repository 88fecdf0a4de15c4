import { eventMatcherPolicy } from '@shared/model/policies';
import { type JsonValue } from '@shared/model';
import { isJsonObject } from '../../json';
import { type KindResult } from '../types';
import { defineKind } from './types';

interface Check {
  name: string;
  configured: string | null;
  actual: (event: Record<string, JsonValue>) => JsonValue | undefined;
  message: string;
}

const isConfigured = (value: string | null): value is string => value !== null && value !== '';

/** authentik's `f"{app}.{model_name}"` of `event.context.model` ("None.None" when absent). */
function eventModel(event: Record<string, JsonValue>): string {
  const context = isJsonObject(event.context) ? event.context : {};
  const info = isJsonObject(context.model) ? context.model : null;
  if (info) return `${info.app ?? 'None'}.${info.model_name ?? 'None'}`;
  return typeof event.model === 'string' ? event.model : 'None.None';
}

/**
 * `authentik_policies_event_matcher.eventmatcherpolicy`, as in authentik 2025.2 (after
 * goauthentik/authentik#11724, released with 2024.10 and cherry-picked to 2024.8): every
 * configured criterion must match (ALL); no configured criterion → passes. Each configured
 * criterion contributes its message ("Action matched." …) whether it matched or not, as
 * upstream does. No `event` in the context → failing, no message. A criterion is "configured"
 * when it is neither null nor blank (the UI's "left empty").
 */
export const eventMatcherKind = defineKind({
  model: eventMatcherPolicy.model,
  config: eventMatcherPolicy.config,
  mayWait: () => false,
  passes(ctx, config): KindResult {
    if (!Object.hasOwn(ctx.request.context, 'event')) return { passing: false, messages: [] };
    const raw = ctx.request.context.event;
    const event: Record<string, JsonValue> = isJsonObject(raw) ? raw : {};
    const checks: Check[] = [
      { name: 'action', configured: config.action, actual: (e) => e.action, message: 'Action matched.' },
      { name: 'client_ip', configured: config.client_ip, actual: (e) => e.client_ip, message: 'Client IP matched.' },
      { name: 'app', configured: config.app, actual: (e) => e.app, message: 'App matched.' },
      { name: 'model', configured: config.model, actual: eventModel, message: 'Model matched.' },
    ];
    const results: { name: string; passing: boolean; message: string }[] = [];
    for (const check of checks) {
      if (!isConfigured(check.configured)) continue;
      const passing = check.actual(event) === check.configured;
      ctx.log('debug', `Event matcher check result (checker=passes_${check.name}, passing=${passing})`);
      results.push({ name: check.name, passing, message: check.message });
    }
    return {
      passing: results.every((r) => r.passing),
      messages: results.map((r) => r.message),
      raw_result: results.map((r) => ({ check: r.name, passing: r.passing })),
    };
  },
});
