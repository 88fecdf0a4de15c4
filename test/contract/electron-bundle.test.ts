import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { eventNames, procedureNames } from '@shared/contract';

/*
 * The Electron security checklist, checked on what actually ships: the built main and
 * preload bundles (`electron-vite build`), parsed with TypeScript's parser. The behaviour of
 * the same code is tested with a fake `electron` in test/unit/app.
 */

const root = resolve(__dirname, '../..');
const mainEntry = join(root, 'out', 'main', 'index.js');
const preloadEntry = join(root, 'out', 'preload', 'index.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when the bundles are missing or older than the sources they come from. */
function ensureBuilt(): void {
  const sources = ['src/main', 'src/preload', 'src/shared'].map((dir) =>
    newestSource(join(root, dir)),
  );
  const fresh = [mainEntry, preloadEntry].every(
    (file) => existsSync(file) && statSync(file).mtimeMs >= Math.max(...sources),
  );
  if (fresh) return;
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.JS,
  );
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function nodes<T extends ts.Node>(
  files: ts.SourceFile[],
  guard: (node: ts.Node) => node is T,
): T[] {
  const found: T[] = [];
  for (const file of files) walk(file, (node) => guard(node) && found.push(node));
  return found;
}

/** The entry and every relative module it loads (rolldown may split shared code into chunks). */
function bundleFiles(entry: string): ts.SourceFile[] {
  const seen = new Map<string, ts.SourceFile>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = parse(file);
    seen.set(file, source);
    walk(source, (node) => {
      const specifier =
        ts.isCallExpression(node) &&
        node.expression.getText() === 'require' &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
              node.moduleSpecifier &&
              ts.isStringLiteral(node.moduleSpecifier)
            ? node.moduleSpecifier.text
            : null;
      if (specifier?.startsWith('.')) visit(resolve(dirname(file), specifier));
    });
  };
  visit(entry);
  return [...seen.values()];
}

function propertyName(node: ts.PropertyAssignment): string | null {
  return ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : null;
}

function literal(node: ts.Expression): boolean | string | undefined {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  // Minifiers write `!0` / `!1`.
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.ExclamationToken &&
    ts.isNumericLiteral(node.operand)
  ) {
    return node.operand.text === '0';
  }
  if (ts.isStringLiteral(node)) return node.text;
  return undefined;
}

/** Follows `const x = {…}` so `new BrowserWindow(options)` is checked as well as an inline literal. */
function objectLiteral(
  node: ts.Expression | undefined,
  files: ts.SourceFile[],
): ts.ObjectLiteralExpression | null {
  if (!node) return null;
  if (ts.isObjectLiteralExpression(node)) return node;
  if (ts.isParenthesizedExpression(node)) return objectLiteral(node.expression, files);
  if (ts.isIdentifier(node)) {
    const declarations = nodes(files, ts.isVariableDeclaration).filter(
      (d) => ts.isIdentifier(d.name) && d.name.text === node.text,
    );
    if (declarations.length === 1) return objectLiteral(declarations[0]?.initializer, files);
  }
  return null;
}

function properties(object: ts.ObjectLiteralExpression): Map<string, ts.Expression> {
  const map = new Map<string, ts.Expression>();
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = propertyName(property);
      if (name) map.set(name, property.initializer);
    } else if (ts.isShorthandPropertyAssignment(property)) {
      map.set(property.name.text, property.name);
    } else {
      throw new Error(
        `Unexpected ${ts.SyntaxKind[property.kind]} in ${object.getText().slice(0, 120)}: spell every option out`,
      );
    }
  }
  return map;
}

function calledMethods(files: ts.SourceFile[]): Set<string> {
  return new Set(
    nodes(files, ts.isCallExpression)
      .map((call) => call.expression)
      .filter(ts.isPropertyAccessExpression)
      .map((access) => access.name.text),
  );
}

/** Event names passed as the first argument of `.on(…)` / `.once(…)`. */
function subscribedEvents(files: ts.SourceFile[]): Set<string> {
  const names = new Set<string>();
  for (const call of nodes(files, ts.isCallExpression)) {
    const callee = call.expression;
    const first = call.arguments[0];
    if (
      ts.isPropertyAccessExpression(callee) &&
      ['on', 'once'].includes(callee.name.text) &&
      first &&
      ts.isStringLiteral(first)
    ) {
      names.add(first.text);
    }
  }
  return names;
}

let main: ts.SourceFile[];
let preload: ts.SourceFile[];

beforeAll(() => {
  ensureBuilt();
  main = bundleFiles(mainEntry);
  preload = [parse(preloadEntry)];
}, 300_000);

describe('main bundle: windows', () => {
  it('creates every BrowserWindow sandboxed, context-isolated and without Node', () => {
    const windows = nodes(main, ts.isNewExpression).filter((expression) =>
      /(^|\.)BrowserWindow$/.test(expression.expression.getText()),
    );
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows) {
      const options = objectLiteral(window.arguments?.[0], main);
      expect(options, window.getText().slice(0, 200)).not.toBeNull();
      const webPreferences = objectLiteral(
        properties(options as ts.ObjectLiteralExpression).get('webPreferences'),
        main,
      );
      expect(webPreferences, 'webPreferences must be an object literal').not.toBeNull();
      const prefs = properties(webPreferences as ts.ObjectLiteralExpression);
      const value = (name: string) => {
        const expression = prefs.get(name);
        return expression ? literal(expression) : undefined;
      };
      expect(value('sandbox')).toBe(true);
      expect(value('contextIsolation')).toBe(true);
      expect(value('nodeIntegration')).toBe(false);
      expect(value('nodeIntegrationInWorker')).toBe(false);
      expect(value('nodeIntegrationInSubFrames')).toBe(false);
      expect(value('webSecurity')).toBe(true);
      expect(value('allowRunningInsecureContent')).toBe(false);
      expect(value('experimentalFeatures')).toBe(false);
      expect(value('webviewTag')).toBe(false);
      // The hidden expression window (its own partition) must have NO preload: untrusted
      // Python runs there. Every other window loads the checked preload.
      expect(prefs.has('preload')).toBe(!prefs.has('partition'));
    }
    expect(windows.filter((w) => /partition/.test(w.getText())).length).toBe(1);
  });

  it('never weakens a web preference anywhere', () => {
    const dangerous: Record<string, boolean> = {
      nodeIntegration: true,
      nodeIntegrationInWorker: true,
      nodeIntegrationInSubFrames: true,
      contextIsolation: false,
      sandbox: false,
      webSecurity: false,
      allowRunningInsecureContent: true,
      experimentalFeatures: true,
      webviewTag: true,
    };
    const offenders = nodes(main, ts.isPropertyAssignment)
      .filter((property) => {
        const name = propertyName(property);
        return (
          name !== null && name in dangerous && literal(property.initializer) === dangerous[name]
        );
      })
      .map((property) => property.getText());
    expect(offenders).toEqual([]);
    expect(nodes(main, ts.isStringLiteral).map((s) => s.text)).not.toContain('enableBlinkFeatures');
  });

  it('loads the preload that is checked below', () => {
    expect(nodes(main, ts.isStringLiteral).some((s) => s.text.endsWith('preload/index.cjs'))).toBe(
      true,
    );
  });
});

describe('main bundle: app hardening', () => {
  it('takes the single-instance lock and enables the sandbox for every renderer', () => {
    const methods = calledMethods(main);
    expect(methods).toContain('requestSingleInstanceLock');
    expect(methods).toContain('enableSandbox');
    expect(subscribedEvents(main)).toContain('second-instance');
  });

  it('guards navigation, new windows and webviews of every web contents', () => {
    const events = subscribedEvents(main);
    for (const name of [
      'web-contents-created',
      'will-navigate',
      'will-frame-navigate',
      'will-redirect',
      'will-attach-webview',
    ]) {
      expect(events, name).toContain(name);
    }
    expect(calledMethods(main)).toContain('setWindowOpenHandler');
  });

  it('never allows a new window', () => {
    const actions = nodes(main, ts.isPropertyAssignment).filter(
      (property) => propertyName(property) === 'action',
    );
    expect(actions.map((property) => literal(property.initializer))).toContain('deny');
    expect(actions.map((property) => literal(property.initializer))).not.toContain('allow');
  });

  it('denies permissions and sets a CSP on the session', () => {
    const methods = calledMethods(main);
    for (const name of [
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'onHeadersReceived',
    ]) {
      expect(methods, name).toContain(name);
    }
  });

  it('checks the sender of every IPC call', () => {
    const methods = calledMethods(main);
    expect(methods).toContain('handle');
    expect(
      nodes(main, ts.isPropertyAccessExpression).some(
        (access) => access.name.text === 'senderFrame',
      ),
    ).toBe(true);
  });

  it('has no DevTools in the production build', () => {
    const strings = nodes(main, ts.isStringLiteral).map((s) => s.text);
    expect(strings).not.toContain('toggleDevTools');
    expect(calledMethods(main)).not.toContain('openDevTools');
    const devTools = nodes(main, ts.isPropertyAssignment)
      .filter((property) => propertyName(property) === 'devTools')
      .map((property) => literal(property.initializer))
      .filter((value) => value !== undefined);
    expect(devTools.length).toBeGreaterThan(0);
    expect(devTools.every((value) => value === false)).toBe(true);
  });

  it('ships only the strict CSP (the relaxed dev policy is not in the build)', () => {
    const strings = nodes(
      main,
      (node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node),
    ).map((s) => s.text);
    expect(strings.filter((s) => /(?<!wasm-)unsafe-(inline|eval|hashes)/.test(s))).toEqual([]);
    // Only the expression worker's policy may compile wasm (Pyodide), and it allows no network.
    for (const policy of strings.filter((s) => s.includes('wasm-unsafe-eval'))) {
      expect(policy).toMatch(/connect-src 'self'/);
      expect(policy).toMatch(/default-src 'none'/);
    }
    expect(strings).toContain("'self'");
    expect(strings).toContain('Content-Security-Policy');
  });
});

describe('preload bundle', () => {
  it('requires nothing but electron (a sandboxed preload cannot)', () => {
    const requires = nodes(preload, ts.isCallExpression).filter(
      (call) => call.expression.getText() === 'require',
    );
    expect(requires.length).toBeGreaterThan(0);
    for (const call of requires) {
      const [argument] = call.arguments;
      expect(argument && ts.isStringLiteral(argument) ? argument.text : call.getText()).toBe(
        'electron',
      );
    }
    const dynamic = nodes(preload, ts.isCallExpression).filter(
      (call) => call.expression.kind === ts.SyntaxKind.ImportKeyword,
    );
    expect(dynamic).toEqual([]);
    expect(nodes(preload, ts.isImportDeclaration)).toEqual([]);
  });

  it('bundles no zod', () => {
    expect(readFileSync(preloadEntry, 'utf8')).not.toMatch(/zod|ZodType|safeParse/);
  });

  it('exposes only `api`, and never ipcRenderer', () => {
    const exposures = nodes(preload, ts.isCallExpression).filter(
      (call) =>
        ts.isPropertyAccessExpression(call.expression) &&
        call.expression.name.text === 'exposeInMainWorld',
    );
    expect(exposures.map((call) => call.arguments[0] && literal(call.arguments[0]))).toEqual([
      'api',
    ]);
    for (const call of exposures) expect(call.arguments[1]?.getText()).not.toMatch(/ipcRenderer/);
  });

  it('carries every procedure and event name of the contract', () => {
    const strings = new Set(nodes(preload, ts.isStringLiteral).map((s) => s.text));
    for (const name of [...procedureNames, ...eventNames]) expect(strings, name).toContain(name);
  });
});
