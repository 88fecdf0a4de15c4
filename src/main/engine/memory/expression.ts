import { type ExpressionOutcome, type ExpressionRuntime, type ExpressionVariables } from '../ports';

export { unavailableExpressionRuntime } from '../policy/kinds/expression';

/**
 * An expression runtime answering from a JavaScript function keyed by the expression's
 * source: for tests and for previews that stub an expression explicitly (a visible what-if,
 * never a silent substitute). Unknown sources raise, like a runtime without that code would.
 */
export class ScriptedExpressionRuntime implements ExpressionRuntime {
  readonly calls: { source: string; variables: ExpressionVariables }[] = [];

  constructor(
    private readonly scripts: Record<
      string,
      (variables: ExpressionVariables) => Partial<ExpressionOutcome> | Promise<Partial<ExpressionOutcome>>
    >,
  ) {}

  async evaluate(source: string, variables: ExpressionVariables): Promise<ExpressionOutcome> {
    this.calls.push({ source, variables });
    const script = this.scripts[source];
    if (!script) return { result: undefined, messages: [], logs: [], error: `no scripted result for expression: ${source}` };
    const { result, messages, logs, ...rest } = await script(variables);
    // Every other field (error, output, events, plan, timed_out, …) as scripted.
    return { result, messages: messages ?? [], logs: logs ?? [], ...rest };
  }
}
