import { createInterface, type Interface } from 'node:readline';
import { z } from 'zod';
import { flowDesignation, type JsonValue } from '@shared/model';
import {
  EngineInputError,
  openExistingWorkspace,
  openWorkspaceReadonly,
  parseContextJson,
  resolveContextUsers,
  simulatedRequest,
} from '../../engine-adapter/cli-support';
import { applyRunEffects, createWorkspaceEngine, describeEffect, type WorkspaceEngine } from '../../engine-adapter';
import {
  FlowNotFoundError,
  navigate,
  respond,
  restartRun,
  runSessionUser,
  startRun,
  type Challenge,
  type StepResult,
} from '../../engine/executor';
import { type SimRequest } from '../../engine/ports';
import { parseCommandArgs, UsageError } from '../args';
import { type Command } from '../command';
import { type CliIo } from '../io';

const options = {
  db: { type: 'string' },
  flow: { type: 'string' },
  designation: { type: 'string' },
  user: { type: 'string' },
  'request-ip': { type: 'string' },
  context: { type: 'string' },
  apply: { type: 'boolean' },
} as const;

const schema = z
  .object({
    db: z.string().min(1).optional(),
    flow: z.string().min(1).optional(),
    designation: flowDesignation.optional(),
    user: z.string().min(1).optional(),
    'request-ip': z.string().min(1).optional(),
    context: z.string().optional(),
    apply: z.boolean().optional(),
  })
  .strict();

export interface RunStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

const HELP = 'At any prompt: :restart starts the flow again, :email opens the newest email link, :json {...} sends a raw response, :quit stops.';

/** Reads answers line by line; passwords are read without echo on a terminal. */
class Prompter {
  private readonly lines: string[] = [];
  private readonly waiting: ((line: string | null) => void)[] = [];
  private closed = false;
  private muted = false;
  private readonly rl: Interface;
  private readonly terminal: boolean;

  constructor(private readonly streams: RunStreams) {
    this.terminal = Boolean(streams.input.isTTY && streams.output.isTTY);
    this.rl = createInterface({ input: streams.input, output: this.terminal ? streams.output : undefined, terminal: this.terminal });
    // readline echoes what is typed through this method; muted, a password is not shown.
    const rl = this.rl as unknown as { _writeToOutput?: (text: string) => void };
    const write = rl._writeToOutput?.bind(this.rl);
    if (write) rl._writeToOutput = (text: string) => (this.muted ? undefined : write(text));
    this.rl.on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.closed = true;
      for (const next of this.waiting.splice(0)) next(null);
    });
  }

  /** The next answer, or null at the end of the input. */
  async ask(question: string, options: { hidden?: boolean } = {}): Promise<string | null> {
    if (this.terminal) {
      // readline redraws the line with its own prompt (backspace, arrows): tell it the question.
      this.rl.setPrompt(question);
      this.rl.prompt();
    } else {
      this.streams.output.write(question);
    }
    this.muted = options.hidden === true;
    const line = this.lines.shift() ?? (this.closed ? null : await new Promise<string | null>((resolve) => this.waiting.push(resolve)));
    if (this.muted) this.streams.output.write('\n');
    this.muted = false;
    return line;
  }

  close(): void {
    this.rl.close();
  }
}

type Answer = { kind: 'respond'; body: Record<string, JsonValue> } | { kind: 'restart' } | { kind: 'email' } | { kind: 'quit' };

class Quit extends Error {}

/** Ask one field; commands (`:restart` …) end the collection early. */
async function field(prompter: Prompter, label: string, options: { hidden?: boolean } = {}): Promise<string | Answer> {
  const line = await prompter.ask(`${label}: `, options);
  if (line === null) throw new Quit('input ended');
  const trimmed = line.trim();
  if (trimmed === ':quit' || trimmed === ':q') return { kind: 'quit' };
  if (trimmed === ':restart') return { kind: 'restart' };
  if (trimmed === ':email') return { kind: 'email' };
  if (trimmed.startsWith(':json')) {
    try {
      const value = JSON.parse(trimmed.slice(5)) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { kind: 'respond', body: value as Record<string, JsonValue> };
    } catch {
      // fall through: asked again below by the caller's loop
    }
    return { kind: 'respond', body: {} };
  }
  return line;
}

const yes = (text: string): boolean => /^(y|yes|true|1|on)$/i.test(text.trim());

/** The response fields of a challenge, asked one by one. */
async function collect(prompter: Prompter, challenge: Challenge, io: CliIo): Promise<Answer> {
  const body: Record<string, JsonValue> = {};
  const ask = async (key: string, label: string, opts: { hidden?: boolean; kind?: 'text' | 'boolean' | 'number' } = {}): Promise<Answer | null> => {
    const answer = await field(prompter, label, opts);
    if (typeof answer !== 'string') return answer;
    if (opts.kind === 'boolean') body[key] = yes(answer);
    else if (opts.kind === 'number' && answer.trim() !== '' && !Number.isNaN(Number(answer))) body[key] = Number(answer);
    else body[key] = answer;
    return null;
  };
  const c = challenge as Record<string, JsonValue>;
  switch (challenge.component) {
    case 'ak-stage-identification': {
      const fields = Array.isArray(c.user_fields) ? (c.user_fields as string[]) : [];
      const label = fields.length ? fields.map((f) => (f === 'upn' ? 'UPN' : f[0]!.toUpperCase() + f.slice(1))).join(' or ') : 'Identifier';
      const r = (await ask('uid_field', label)) ?? (c.password_fields === true ? await ask('password', 'Password', { hidden: true }) : null);
      if (r) return r;
      if (c.captcha_stage) {
        io.out('  (captcha: the built-in test provider accepts tokens starting with "pass")');
        const r2 = await ask('captcha_token', 'Captcha token');
        if (r2) return r2;
      }
      break;
    }
    case 'ak-stage-password': {
      const r = await ask('password', 'Password', { hidden: true });
      if (r) return r;
      break;
    }
    case 'ak-stage-prompt': {
      const fields = Array.isArray(c.fields) ? (c.fields as Record<string, JsonValue>[]) : [];
      for (const f of fields) {
        const key = String(f.field_key ?? '');
        const type = String(f.type ?? 'text');
        const label = `${String(f.label ?? key)}${f.required ? '' : ' (optional)'}`;
        if (type === 'static' || type === 'separator' || type.startsWith('alert')) continue;
        if (type === 'hidden') {
          body[key] = f.initial_value ?? '';
          continue;
        }
        if (Array.isArray(f.choices) && f.choices.length > 0) io.out(`  choices for ${key}: ${f.choices.map((x) => JSON.stringify(x)).join(', ')}`);
        const kind = type === 'checkbox' ? 'boolean' : type === 'number' ? 'number' : 'text';
        const r = await ask(key, `${label}${kind === 'boolean' ? ' [y/n]' : ''}`, { hidden: type === 'password', kind });
        if (r) return r;
      }
      break;
    }
    case 'ak-stage-consent': {
      const r = await field(prompter, 'Give consent? [y/n]');
      if (typeof r !== 'string') return r;
      if (!yes(r)) return { kind: 'quit' };
      body.token = c.token ?? '';
      break;
    }
    case 'ak-stage-captcha': {
      io.out('  (the built-in test provider accepts tokens starting with "pass")');
      const r = await ask('token', 'Captcha token');
      if (r) return r;
      break;
    }
    case 'ak-stage-email': {
      const r = await field(prompter, 'Press Enter to open the newest email link (or type "resend")');
      if (typeof r !== 'string') return r;
      if (r.trim() !== 'resend') return { kind: 'email' };
      break;
    }
    case 'ak-stage-user-login': {
      const r = await ask('remember_me', 'Stay signed in? [y/n]', { kind: 'boolean' });
      if (r) return r;
      break;
    }
    case 'ak-stage-authenticator-validate':
    case 'ak-stage-authenticator-totp':
    case 'ak-stage-authenticator-sms':
    case 'ak-stage-authenticator-email': {
      const r = await ask('code', 'Code');
      if (r) return r;
      break;
    }
    case 'xak-flow-redirect': {
      const r = await field(prompter, 'Press Enter to follow the redirect');
      if (typeof r !== 'string') return r;
      body.to = c.to ?? '';
      break;
    }
    case 'ak-stage-dummy':
    case 'ak-stage-authenticator-static':
    default: {
      if (!['ak-stage-dummy', 'ak-stage-authenticator-static'].includes(challenge.component)) {
        io.out(`  (no form for ${challenge.component}: Enter sends {}, or answer with :json {...})`);
      }
      const r = await field(prompter, 'Press Enter to continue');
      if (typeof r !== 'string') return r;
      break;
    }
  }
  return { kind: 'respond', body };
}

/** Print a challenge the way a person would read it. */
function show(result: StepResult, engine: WorkspaceEngine, io: CliIo): void {
  const response = result.response;
  if (!response) return;
  const c = response as Record<string, JsonValue>;
  const info = c.flow_info as Record<string, JsonValue> | undefined;
  const stage = [...result.events].reverse().find((e) => e.type === 'challenge');
  const stageName = stage && stage.type === 'challenge' ? stage.binding.stage.name : null;
  io.out('');
  io.out(`── ${response.component}${stageName ? ` [${stageName}]` : ''}${info?.title ? ` — ${String(info.title)}` : ''}`);
  if (typeof c.pending_user === 'string' && c.pending_user) io.out(`  user: ${c.pending_user}`);
  for (const [key, value] of Object.entries(c)) {
    if (['component', 'flow_info', 'pending_user', 'pending_user_avatar', 'response_errors', 'fields'].includes(key)) continue;
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    io.out(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  if (Array.isArray(c.fields)) {
    for (const f of c.fields as Record<string, JsonValue>[]) io.out(`  field ${String(f.field_key)} (${String(f.type)})${f.required ? ' required' : ''}: ${String(f.label ?? '')}`);
  }
  const errors = c.response_errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    for (const [key, list] of Object.entries(errors)) {
      for (const e of Array.isArray(list) ? list : []) io.out(`  ! ${key}: ${String((e as Record<string, JsonValue>).string ?? JSON.stringify(e))}`);
    }
  }
  if (response.component === 'ak-stage-email') {
    const newest = engine.outbox.list().at(-1);
    if (newest) io.out(`  (outbox) to ${newest.to}: "${newest.subject}" ${newest.url ?? ''}`);
  }
  for (const message of result.messages) io.out(`  [${message.level}] ${message.message}`);
}

/** Print the run's effects (its writes on the sandbox). */
function listEffects(engine: WorkspaceEngine, io: CliIo): number {
  const effects = engine.effects();
  io.out(`  effects: ${effects.length === 0 ? '(none: the run wrote nothing)' : effects.length}`);
  effects.forEach((effect, i) => io.out(`    ${i + 1}. ${describeEffect(effect)}`));
  return effects.length;
}

/**
 * `--apply`: write a completed run's effects to the workspace file, all or nothing (exit 0
 * applied, 1 conflicts: nothing written).
 */
async function applyEffects(engine: WorkspaceEngine, db: string | undefined, io: CliIo): Promise<number> {
  const effects = engine.effects();
  if (effects.length === 0) return 0;
  const real = openExistingWorkspace(db, { readonly: false });
  try {
    const result = await applyRunEffects(real.workspace, effects);
    if (result.conflicts.length > 0) {
      io.out('');
      io.out(`✖ Nothing applied: ${real.path} changed since the run was started (${result.conflicts.length} conflict(s)):`);
      for (const c of result.conflicts) io.out(`    ${c.index + 1}. ${c.type} ${c.username}: ${c.reason}`);
      return 1;
    }
    io.out('');
    io.out(`✔ Applied ${result.applied.length} effect(s) to ${real.path}:`);
    for (const a of result.applied) io.out(`    ${a.index + 1}. ${a.description}${a.pk === a.sandbox_pk ? ` (pk ${a.pk})` : ` (pk ${a.pk}; ${a.sandbox_pk} in the sandbox)`}`);
    return 0;
  } finally {
    real.close();
  }
}

/**
 * `flowbench run`: step through a flow in the terminal, on a sandbox copy of the workspace
 * (nothing is written to it). Prints each challenge, asks for its fields (passwords without
 * echo on a terminal), follows redirects between flows, and ends on completion or denial
 * (exit 0 completed, 1 denied / stopped, 2 usage). On completion it lists the run's effects
 * (its writes on the sandbox); `--apply` then writes them to the workspace in one transaction,
 * or nothing when the workspace diverged (exit 1, the conflicts listed).
 */
export function createRunCommand(streams: RunStreams): Command {
  return {
    name: 'run',
    summary: 'Step through a flow interactively on a sandbox copy of the workspace.',
    usage: 'flowbench run [--db FILE] (--flow SLUG | --designation D) [--user NAME] [--request-ip IP] [--context JSON] [--apply]',
    async run(argv, io, deps) {
      const args = parseCommandArgs(argv, options, schema);
      if ((args.flow === undefined) === (args.designation === undefined)) throw new UsageError('give either --flow SLUG or --designation D');
      let context: Record<string, JsonValue>;
      try {
        context = parseContextJson(args.context);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const source = openWorkspaceReadonly(args.db);
      const engine = createWorkspaceEngine(source.workspace, { expressions: deps.expressions() });
      const prompter = new Prompter(streams);
      try {
        let request: SimRequest;
        try {
          request = simulatedRequest(engine, { user: args.user, ip: args['request-ip'] });
          context = resolveContextUsers(engine, context);
        } catch (error) {
          if (!(error instanceof EngineInputError)) throw error;
          io.err(`flowbench run: ${error.message}`);
          return 1;
        }
        io.out(
          args.apply
            ? `Running on a sandbox copy of ${source.path}: its effects are written to it when the flow completes (--apply).`
            : `Running on a sandbox copy of ${source.path}: nothing is written to it.`,
        );
        io.out(HELP);
        let result: StepResult;
        try {
          result = await startRun(engine, {
            ...(args.flow !== undefined ? { flow: args.flow } : { designation: args.designation! }),
            request,
            context,
          });
        } catch (error) {
          if (error instanceof FlowNotFoundError) {
            io.err(`flowbench run: ${error.message}`);
            return 1;
          }
          throw error;
        }
        for (;;) {
          for (let hops = 0; result.status === 'redirect' && result.follow && hops < 20; hops++) {
            io.out(`→ redirect to ${String(result.response?.to ?? '')}`);
            result = await navigate(engine, result.state, { flow: result.follow.flow_slug, query: result.follow.query });
          }
          if (result.status === 'completed') {
            for (const message of result.messages) io.out(`  [${message.level}] ${message.message}`);
            const user = runSessionUser(engine, result.state);
            io.out('');
            io.out(`✔ Flow completed → ${result.state.outcome?.redirect ?? '/'}`);
            io.out(`  logged in: ${user ? user.username : 'nobody'}`);
            io.out(`  stages run: ${result.state.stages_run.join(', ') || '(none)'}`);
            const count = listEffects(engine, io);
            if (args.apply) return await applyEffects(engine, args.db, io);
            if (count > 0) io.out(`${count} effect(s) not applied (sandbox); re-run with --apply to write them`);
            return 0;
          }
          if (result.status === 'denied') {
            for (const message of result.messages) io.out(`  [${message.level}] ${message.message}`);
            io.out('');
            io.out(`✖ Access denied: ${result.state.outcome?.message ?? ''}${result.state.outcome?.stage ? ` (stage ${result.state.outcome.stage})` : ''}`);
            const count = engine.effects().length;
            if (count > 0) io.out(`${count} effect(s) not applied (sandbox): the flow did not complete`);
            return 1;
          }
          show(result, engine, io);
          if (!result.response) return 1;
          let answer: Answer;
          try {
            answer = await collect(prompter, result.response, io);
          } catch (error) {
            if (error instanceof Quit) {
              io.out('');
              io.out('Input ended: the run stops here.');
              return 1;
            }
            throw error;
          }
          if (answer.kind === 'quit') {
            io.out('Stopped.');
            return 1;
          }
          if (answer.kind === 'restart') {
            io.out('↺ restarting the flow');
            result = await restartRun(engine, result.state);
          } else if (answer.kind === 'email') {
            const message = engine.outbox.list().at(-1);
            if (!message?.link) {
              io.out('  the outbox has no email with a flow link');
              continue;
            }
            io.out(`✉ opening ${message.url ?? message.link.flow}`);
            result = await navigate(engine, result.state, { flow: message.link.flow, query: message.link.query });
          } else {
            result = await respond(engine, result.state, { component: result.response.component, ...answer.body });
          }
        }
      } finally {
        prompter.close();
        engine.close();
        source.close();
      }
    },
  };
}

export const runCommand: Command = createRunCommand({ input: process.stdin, output: process.stdout });
