import { describe, expect, it } from 'vitest';
import { createAppUrlCheck, parseDevServerUrl, rendererUrl } from '../../../src/main/app/app-url';

const rendererFile = '/opt/flowbench/out/renderer/index.html';

describe('createAppUrlCheck (built app)', () => {
  const isAppUrl = createAppUrlCheck({ rendererFile, devServerUrl: null });

  it('accepts exactly the renderer file, with any hash or query', () => {
    expect(isAppUrl('file:///opt/flowbench/out/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///opt/flowbench/out/renderer/index.html#/flows')).toBe(true);
    expect(isAppUrl('file:///opt/flowbench/out/renderer/./index.html?x=1')).toBe(true);
  });

  it('refuses everything else', () => {
    for (const url of [
      'https://evil.example',
      'http://localhost:5173/',
      'file:///opt/flowbench/out/renderer/assets/index.js',
      'file:///opt/flowbench/out/renderer/index.html.evil',
      'file:///etc/passwd',
      'file://evil.example/opt/flowbench/out/renderer/index.html',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
      'garbage',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('loads the renderer file by URL', () => {
    expect(rendererUrl({ rendererFile, devServerUrl: null })).toBe(
      'file:///opt/flowbench/out/renderer/index.html',
    );
  });
});

describe('createAppUrlCheck (electron-vite dev)', () => {
  const source = { rendererFile, devServerUrl: 'http://localhost:5173/' };
  const isAppUrl = createAppUrlCheck(source);

  it('accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isAppUrl('http://localhost:5174/')).toBe(false);
    expect(isAppUrl('https://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost.evil.example:5173/')).toBe(false);
    expect(isAppUrl('file:///opt/flowbench/out/renderer/index.html')).toBe(false);
    expect(rendererUrl(source)).toBe('http://localhost:5173/');
  });
});

describe('parseDevServerUrl', () => {
  it('takes plain http on a loopback host', () => {
    expect(parseDevServerUrl('http://localhost:5173')).toBe('http://localhost:5173/');
    expect(parseDevServerUrl('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/');
    expect(parseDevServerUrl('http://[::1]:5173/')).toBe('http://[::1]:5173/');
  });

  it('ignores anything that could point the app elsewhere', () => {
    for (const value of [
      undefined,
      '',
      'https://evil.example',
      'http://evil.example:5173',
      'http://192.168.1.10:5173',
      'file:///tmp/x.html',
      'javascript:alert(1)',
      'nonsense',
    ]) {
      expect(parseDevServerUrl(value), String(value)).toBeNull();
    }
  });
});
