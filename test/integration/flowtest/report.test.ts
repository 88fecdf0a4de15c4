import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { xmlEscape } from '../../../src/main/flowtest';
import { blueprint, cli, STAGE, tempTree, testJson } from './helpers';

/** `flowbench test` output contracts: exit codes, human lines, `--json` shape, `--junit` XML. */

/** A small XML 1.0 well-formedness check (no DTDs): balanced tags, quoted attributes, known entities. */
function parseXml(text: string): { name: string; attrs: Record<string, string>; children: unknown[]; text: string } {
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const token = /<\?xml[^?]*\?>|<!--[\s\S]*?-->|<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>|[^<]+/y;
  type El = { name: string; attrs: Record<string, string>; children: El[]; text: string };
  const root: El = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  let index = 0;
  while (index < text.length) {
    token.lastIndex = index;
    const match = token.exec(text);
    if (!match) throw new Error(`not well-formed at ${index}: ${JSON.stringify(text.slice(index, index + 40))}`);
    index = token.lastIndex;
    const [all, close, open, attrText, selfClose] = match;
    const top = stack[stack.length - 1]!;
    if (close) {
      if (top.name !== close) throw new Error(`</${close}> closes <${top.name}>`);
      stack.pop();
    } else if (open) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? '').matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
        if (entity.test(a[2]!)) throw new Error(`bad entity in attribute ${a[1]}`);
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = a[2]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'").replaceAll('&amp;', '&');
      }
      const el: El = { name: open, attrs, children: [], text: '' };
      top.children.push(el);
      if (!selfClose) stack.push(el);
    } else if (!all.startsWith('<?xml') && !all.startsWith('<!--')) {
      if (entity.test(all)) throw new Error(`bad entity in text ${JSON.stringify(all.slice(0, 40))}`);
      if (stack.length === 1 && all.trim() !== '') throw new Error('text outside the root element');
      top.text += all;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('exactly one root element expected');
  return root.children[0]!;
}

type El = ReturnType<typeof parseXml>;
const children = (el: El, name: string): El[] => (el.children as El[]).filter((c) => c.name === name);

let tree: ReturnType<typeof tempTree>;
beforeEach(() => {
  tree = tempTree({
    'flow.yaml': blueprint({ stages: [{ name: 'hello', model: STAGE.dummy }] }),
    'pass.flowtest.yaml': 'name: passes\nblueprints: [flow.yaml]\nrun: {flow: test-flow}\nsteps: [{expect: ak-stage-dummy, respond: {}}]\noutcome: {result: completed}\n',
    'nested/fail.flowtest.yaml':
      'name: "fails <&> \\"quoted\\" \'single\' \\u0001"\nblueprints: [../flow.yaml]\nrun: {flow: test-flow}\nsteps: [{expect: ak-stage-password, respond: {}}]\noutcome: {result: completed}\n',
    'ignored.yaml': 'not a flow test: only *.flowtest.yaml are picked up in folders\n',
  });
});
afterEach(() => tree.cleanup());

describe('exit codes and human output', () => {
  it('exits 0 when every test passed, with ✔ lines and the summary line last', async () => {
    const result = await cli(['test', join(tree.dir, 'pass.flowtest.yaml')]);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^✔ passes {2}\(.*pass\.flowtest\.yaml:1\)$/);
    expect(result.out.at(-1)).toBe('1 passed, 0 failed');
  });

  it('exits 1 when a test failed; ✖ with the step, expected, actual and message', async () => {
    const result = await cli(['test', tree.dir]);
    expect(result.code).toBe(1);
    const text = result.stdout;
    expect(text).toContain(`✖ fails <&> "quoted" 'single' \u0001  (`);
    expect(text).toContain('    steps[0] (line 4): expected the challenge ak-stage-password, but got ak-stage-dummy (stage hello)');
    expect(text).toContain('      expected: "ak-stage-password"');
    expect(text).toContain('      actual:   "ak-stage-dummy"');
    expect(text).toContain('    transcript:');
    expect(result.out.at(-1)).toBe('1 passed, 1 failed');
  });

  it('exits 2 when a file is not a valid flow test, even if the others pass', async () => {
    tree.write('broken.flowtest.yaml', 'name: x\nrun: {flow: test-flow}\noutcome: {result: maybe}\n');
    const result = await cli(['test', tree.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.flowtest\.yaml:3:19: outcome\.result: /);
    expect(result.out.at(-1)).toBe('1 passed, 1 failed');
  });
});

describe('finding flow tests', () => {
  it('searches folders recursively for *.flowtest.yaml (sorted; not node_modules or dot folders); a named file runs whatever its name', async () => {
    const test = 'name: NAME\nblueprints: [FLOW]\nrun: {flow: test-flow}\nsteps: [{respond: {}}]\noutcome: {result: completed}\n';
    tree.write('node_modules/x/skip.flowtest.yaml', test.replace('NAME', 'skipped').replace('FLOW', '../../flow.yaml'));
    tree.write('.hidden/skip.flowtest.yaml', test.replace('NAME', 'skipped').replace('FLOW', '../flow.yaml'));
    tree.write('named.yaml', test.replace('NAME', 'named').replace('FLOW', 'flow.yaml'));
    const { report } = await testJson([tree.dir, join(tree.dir, 'named.yaml')]);
    expect(report.results.map((r) => r.name)).toEqual(['fails <&> "quoted" \'single\' \u0001', 'passes', 'named']);
  });
});

describe('--json', () => {
  it('prints only {passed, failed, results: [{file, name, ok, failures, transcript}]} on stdout', async () => {
    const result = await cli(['test', tree.dir, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['passed', 'failed', 'results']);
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    const results = report.results as Record<string, unknown>[];
    for (const r of results) expect(Object.keys(r)).toEqual(['file', 'name', 'ok', 'failures', 'transcript']);
    const [failing, passing] = results;
    expect(passing).toMatchObject({ name: 'passes', ok: true, failures: [] });
    expect(String(passing!.file)).toMatch(/pass\.flowtest\.yaml$/);
    expect(failing!.ok).toBe(false);
    const failures = failing!.failures as Record<string, unknown>[];
    expect(failures).toEqual([
      { step: 0, expected: 'ak-stage-password', actual: 'ak-stage-dummy', message: 'expected the challenge ak-stage-password, but got ak-stage-dummy (stage hello)' },
    ]);
    expect(Object.keys(failures[0]!)).toEqual(['step', 'expected', 'actual', 'message']);
    // Progress goes to stderr.
    expect(result.stderr).toContain('✔ passes');
    expect(result.stderr).toContain('1 passed, 1 failed');
  });

  it('puts challenges, responses and plans with policy trace summaries in the transcript', async () => {
    const { report } = await testJson([join(tree.dir, 'pass.flowtest.yaml')]);
    const transcript = report.results[0]!.transcript;
    const plan = transcript.find((e) => e.kind === 'plan') as Record<string, unknown>;
    expect(plan).toMatchObject({ flow: 'test-flow', reason: 'start', outcome: 'planned', stages: ['hello'] });
    expect((plan.traces as Record<string, unknown>[])[0]).toMatchObject({ target: 'flow test-flow', passing: true, results: [] });
    expect(transcript.find((e) => e.kind === 'challenge')).toMatchObject({ step: null, stage: 'hello', response: { component: 'ak-stage-dummy', name: 'hello' } });
    expect(transcript.find((e) => e.kind === 'response')).toMatchObject({ step: 0, body: { component: 'ak-stage-dummy' } });
    expect(JSON.stringify(transcript)).not.toContain('"seq"');
  });
});

describe('--junit', () => {
  it('writes well-formed JUnit XML with escaped names and messages', async () => {
    tree.write('broken.flowtest.yaml', 'name: x & y\nrun: {flow: "<bad>"\n');
    const file = join(tree.dir, 'reports', 'junit.xml');
    const result = await cli(['test', tree.dir, '--junit', file]);
    expect(result.code).toBe(2);
    const xml = readFileSync(file, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const suites = children(root, 'testsuite');
    expect(suites).toHaveLength(3);
    const cases = suites.flatMap((s) => children(s, 'testcase'));
    const names = cases.map((c) => c.attrs.name);
    expect(names).toContain('fails <&> "quoted" \'single\' \uFFFD');
    expect(names).toContain('passes');
    const failing = cases.find((c) => c.attrs.name?.startsWith('fails'))!;
    const failure = children(failing, 'failure')[0]!;
    expect(failure.attrs.message).toBe('expected the challenge ak-stage-password, but got ak-stage-dummy (stage hello)');
    expect(failure.text).toContain('steps[0] (line 4)');
    const broken = suites.find((s) => s.attrs.name?.endsWith('broken.flowtest.yaml'))!;
    expect(broken.attrs).toMatchObject({ errors: '1' });
    expect(children(children(broken, 'testcase')[0]!, 'error')[0]!.attrs.message).toMatch(/broken\.flowtest\.yaml:\d+:\d+: YAML: /);
  });

  it('escapes every XML special character and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c'\u0000\u0008\uFFFE`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\uFFFD\uFFFD\uFFFD');
    expect(xmlEscape('tab\tnewline\n€ 𝄞')).toBe('tab\tnewline\n€ 𝄞');
  });
});
