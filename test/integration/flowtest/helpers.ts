import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../../../src/main/cli/run';

export const FIXTURES = resolve(__dirname, '../../../../shared/fixtures/authentik-blueprints');

export function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** A temporary folder with files (`name → text`); `cleanup()` removes it. */
export function tempTree(files: Record<string, string> = {}): { dir: string; write(name: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flowbench-flowtest-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `flowbench <argv>` with captured output. */
export async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[]; stdout: string; stderr: string }> {
  const { io, out, err } = capture();
  const code = await runCli(argv, io);
  return { code, out, err, stdout: out.join('\n'), stderr: err.join('\n') };
}

export interface JsonReport {
  passed: number;
  failed: number;
  results: {
    file: string;
    name: string;
    ok: boolean;
    failures: { step?: number; expected: unknown; actual: unknown; message: string }[];
    transcript: { kind: string; [key: string]: unknown }[];
  }[];
}

/** `flowbench test --json PATHS`: the parsed document (stdout must be only JSON). */
export async function testJson(paths: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const result = await cli(['test', ...paths, '--json']);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

/** A small blueprint: one flow with the given stages bound in order 10, 20, … */
export function blueprint(options: {
  slug?: string;
  designation?: string;
  authentication?: string;
  denied_action?: string;
  stages: { name: string; model: string; attrs?: Record<string, unknown>; binding?: Record<string, unknown> }[];
  extra?: string;
}): string {
  const slug = options.slug ?? 'test-flow';
  const lines = [
    'version: 1',
    'metadata: {name: test}',
    'entries:',
    `  - model: authentik_flows.flow`,
    `    id: flow`,
    `    identifiers: {slug: ${slug}}`,
    `    attrs: {name: ${slug}, title: ${slug}, designation: ${options.designation ?? 'authentication'}, authentication: ${options.authentication ?? 'none'}${options.denied_action ? `, denied_action: ${options.denied_action}` : ''}}`,
  ];
  options.stages.forEach((stage, i) => {
    lines.push(`  - model: ${stage.model}`, `    id: stage-${i}`, `    identifiers: {name: ${stage.name}}`, `    attrs: ${JSON.stringify(stage.attrs ?? {})}`);
    lines.push(
      '  - model: authentik_flows.flowstagebinding',
      `    id: binding-${i}`,
      `    identifiers: {target: !KeyOf flow, stage: !KeyOf stage-${i}, order: ${(i + 1) * 10}}`,
      `    attrs: ${JSON.stringify(stage.binding ?? {})}`,
    );
  });
  if (options.extra) lines.push(options.extra);
  return `${lines.join('\n')}\n`;
}

export const STAGE = {
  dummy: 'authentik_stages_dummy.dummystage',
  deny: 'authentik_stages_deny.denystage',
  login: 'authentik_stages_user_login.userloginstage',
  logout: 'authentik_stages_user_logout.userlogoutstage',
  delete: 'authentik_stages_user_delete.userdeletestage',
  identification: 'authentik_stages_identification.identificationstage',
  password: 'authentik_stages_password.passwordstage',
  prompt: 'authentik_stages_prompt.promptstage',
  userWrite: 'authentik_stages_user_write.userwritestage',
  email: 'authentik_stages_email.emailstage',
  captcha: 'authentik_stages_captcha.captchastage',
  validate: 'authentik_stages_authenticator_validate.authenticatorvalidatestage',
} as const;
