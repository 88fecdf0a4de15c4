import { describe, expect, it, vi } from 'vitest';
import { type App, type Session, type WebContents } from 'electron';
import {
  denyAllPermissions,
  hardenApp,
  hardenWebContents,
  isSafeExternalUrl,
} from '../../../src/main/app/security';
import { createAppUrlCheck } from '../../../src/main/app/app-url';
import { FakeApp, FakeSession, FakeWebContents } from './fake-electron';

// security.ts takes Electron's objects as arguments; nothing here may reach the real module.
vi.mock('electron', () => ({}));

const rendererFile = '/opt/flowbench/out/renderer/index.html';
const appUrl = 'file:///opt/flowbench/out/renderer/index.html';

function harden(isAppUrl = createAppUrlCheck({ rendererFile, devServerUrl: null })) {
  const contents = new FakeWebContents();
  const openExternal = vi.fn((_url: string) => Promise.resolve());
  hardenWebContents(contents as unknown as WebContents, { isAppUrl, openExternal });
  return { contents, openExternal };
}

describe('navigation', () => {
  it('denies navigating away from the app', () => {
    const { contents } = harden();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(contents.attempt(event, 'https://evil.example'), event).toBe(true);
      expect(contents.attempt(event, 'https://evil.example/out/renderer/index.html'), event).toBe(
        true,
      );
      expect(contents.attempt(event, 'file:///etc/passwd'), event).toBe(true);
      expect(contents.attempt(event, 'file:///opt/flowbench/out/renderer/other.html'), event).toBe(
        true,
      );
      expect(contents.attempt(event, 'javascript:alert(1)'), event).toBe(true);
      expect(contents.attempt(event, 'not a url'), event).toBe(true);
    }
  });

  it("lets the app's own page reload itself", () => {
    const { contents } = harden();
    expect(contents.attempt('will-navigate', appUrl)).toBe(false);
    expect(contents.attempt('will-navigate', `${appUrl}#/flows/1`)).toBe(false);
  });

  it('in dev, allows the dev server origin only', () => {
    const { contents } = harden(
      createAppUrlCheck({ rendererFile, devServerUrl: 'http://localhost:5173/' }),
    );
    expect(contents.attempt('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(contents.attempt('will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(contents.attempt('will-navigate', appUrl)).toBe(true);
    expect(contents.attempt('will-navigate', 'https://evil.example')).toBe(true);
  });
});

describe('new windows', () => {
  it('denies every window.open and hands only web links to the system browser', () => {
    const { contents, openExternal } = harden();
    const open = (url: string) => contents.openHandler?.({ url });
    expect(open('https://docs.goauthentik.io/')).toEqual({ action: 'deny' });
    expect(open('http://example.com/a?b=c')).toEqual({ action: 'deny' });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'https://user:pw@evil.example',
      appUrl,
      '',
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual([
      'https://docs.goauthentik.io/',
      'http://example.com/a?b=c',
    ]);
  });

  it('survives a failing system browser', async () => {
    const contents = new FakeWebContents();
    const openExternal = vi.fn(() => Promise.reject(new Error('no browser')));
    hardenWebContents(contents as unknown as WebContents, { isAppUrl: () => false, openExternal });
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(openExternal).toHaveBeenCalledOnce();
  });

  it('isSafeExternalUrl accepts http(s) only', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('HTTP://EXAMPLE.COM')).toBe(true);
    expect(isSafeExternalUrl('file:///tmp/x')).toBe(false);
    expect(isSafeExternalUrl('data:text/html,hi')).toBe(false);
    expect(isSafeExternalUrl('//example.com')).toBe(false);
  });
});

describe('webview', () => {
  it('prevents attaching a <webview>', () => {
    const { contents } = harden();
    expect(contents.attempt('will-attach-webview', 'https://evil.example')).toBe(true);
  });
});

describe('every web contents', () => {
  it('hardenApp guards each web contents the app creates', () => {
    const app = new FakeApp();
    hardenApp(app as unknown as App, {
      isAppUrl: () => false,
      openExternal: () => Promise.resolve(),
    });
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    expect(contents.attempt('will-attach-webview', '')).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session as unknown as Session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      const callback = vi.fn();
      session.requestHandler?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.checkHandler?.({}, permission, 'file://', {})).toBe(false);
    }
    expect(session.deviceHandler?.({ deviceType: 'usb' })).toBe(false);
  });
});
