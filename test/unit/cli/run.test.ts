import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCommandArgs, portFlag } from '../../../src/main/cli/args';
import { type Command } from '../../../src/main/cli/command';
import { runCli } from '../../../src/main/cli/run';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const echo: Command = {
  name: 'echo',
  summary: 'Echo a port.',
  usage: 'flowbench echo --port N',
  async run(argv, io) {
    const args = parseCommandArgs(argv, { port: { type: 'string' } }, z.object({ port: portFlag }).strict());
    io.out(`port=${args.port}`);
    return 0;
  },
};

describe('flowbench CLI runner', () => {
  it('prints help listing every command and exits 0 for --help', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], io, [echo])).toBe(0);
    expect(out.join('\n')).toContain('echo  Echo a port.');
  });

  it('exits 2 with help when no command is given', async () => {
    const { io } = capture();
    expect(await runCli([], io, [echo])).toBe(2);
  });

  it('rejects an unknown command with exit 2 and names it', async () => {
    const { io, err } = capture();
    expect(await runCli(['frobnicate'], io, [echo])).toBe(2);
    expect(err.join('\n')).toContain('Unknown command "frobnicate"');
  });

  it('validates flag values with zod and reports the flag', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo', '--port', '70000'], io, [echo])).toBe(2);
    expect(err.join('\n')).toMatch(/--port: .*65535/);
  });

  it('rejects unknown flags', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo', '--bogus'], io, [echo])).toBe(2);
    expect(err.join('\n')).toContain('--bogus');
  });

  it('runs a command with valid flags', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '--port', '8080'], io, [echo])).toBe(0);
    expect(out).toEqual(['port=8080']);
  });

  it('turns a thrown error into exit 1 with the message', async () => {
    const failing: Command = { ...echo, name: 'fail', run: async () => Promise.reject(new Error('disk full')) };
    const { io, err } = capture();
    expect(await runCli(['fail'], io, [failing])).toBe(1);
    expect(err.join('\n')).toContain('disk full');
  });
});
