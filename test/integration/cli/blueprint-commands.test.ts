import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { openWorkspace } from '../../../src/main/workspace';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures/authentik-blueprints');
const fixture = (name: string) => join(FIXTURES, name);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('flowbench import / validate / export', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowbench-cli-'));
    db = join(dir, 'w.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports fixtures with a per-entry report and exit 0', async () => {
    const { io, out } = capture();
    const code = await runCli(
      ['import', '--db', db, fixture('default/flow-password-change.yaml'), fixture('default/flow-default-authentication-flow.yaml')],
      io,
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/created\s+authentik_flows\.flow slug=default-authentication-flow/);
    expect(text).toContain('requires Default - Password change flow: present');
    const ws = openWorkspace({ path: db });
    try {
      expect(ws.services.flows.list().map((f) => f.slug)).toEqual(['default-authentication-flow', 'default-password-change']);
    } finally {
      ws.close();
    }
  });

  it('fails with exit 1, names the line and writes nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      ['version: 1', 'entries:', '  - model: authentik_flows.flow', '    identifiers: {slug: ok-flow}', '    attrs: {name: x, title: x, designation: authentication}', '  - model: authentik_flows.flowstagebinding', '    identifiers: {target: !KeyOf nope, stage: !KeyOf nope, order: 1}', ''].join('\n'),
    );
    const { io, err } = capture();
    expect(await runCli(['import', '--db', db, bad], io)).toBe(1);
    expect(err.join('\n')).toMatch(/bad\.yaml:7:\d+ entry 1/);
    const ws = openWorkspace({ path: db });
    try {
      expect(ws.services.flows.list()).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('validate reports without creating the workspace file', async () => {
    const { io, out } = capture();
    const missing = join(dir, 'never.sqlite');
    expect(await runCli(['validate', '--db', missing, fixture('example/flows-unenrollment.yaml')], io)).toBe(0);
    expect(out.join('\n')).toContain('would be applied');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('requires explicit values for !Env and takes them from --context env:NAME=VALUE', async () => {
    const file = join(dir, 'env.yaml');
    writeFileSync(
      file,
      ['version: 1', 'entries:', '  - model: authentik_flows.flow', '    identifiers: {slug: env-flow}', '    attrs: {name: !Env FLOW_NAME, title: t, designation: authentication}', ''].join('\n'),
    );
    const first = capture();
    expect(await runCli(['import', '--db', db, file], first.io)).toBe(1);
    expect(first.err.join('\n')).toContain('ENV_NEEDS_VALUE');
    const second = capture();
    expect(await runCli(['import', '--db', db, '--context', 'env:FLOW_NAME=From the user', file], second.io)).toBe(0);
    const ws = openWorkspace({ path: db });
    try {
      expect(ws.services.flows.list()[0]?.name).toBe('From the user');
    } finally {
      ws.close();
    }
  });

  it('exports portable YAML to a file and round-trip exports one file per imported blueprint', async () => {
    await runCli(['import', '--db', db, fixture('default/flow-password-change.yaml'), fixture('default/flow-default-authentication-flow.yaml')], capture().io);
    const out = join(dir, 'auth.yaml');
    expect(await runCli(['export', '--db', db, '--flow', 'default-authentication-flow', '-o', out], capture().io)).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('!KeyOf flow-default-authentication-flow');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);

    const rt = join(dir, 'rt') + '/';
    expect(await runCli(['export', '--db', db, '--style', 'round-trip', '-o', rt], capture().io)).toBe(0);
    expect(readdirSync(rt).sort()).toEqual(['flow-default-authentication-flow.yaml', 'flow-password-change.yaml']);
  });

  it('rejects an unknown export style and an unknown flow', async () => {
    const style = capture();
    expect(await runCli(['export', '--db', db, '--style', 'xml'], style.io)).toBe(2);
    const flow = capture();
    expect(await runCli(['export', '--db', db, '--flow', 'nope'], flow.io)).toBe(1);
    expect(flow.err.join('\n')).toContain('nope');
  });
});
