import { describe, expect, it, vi } from 'vitest';
import { type Session } from 'electron';
import {
  contentSecurityPolicy,
  developmentContentSecurityPolicy,
  installContentSecurityPolicy,
} from '../../../src/main/app/csp';
import { FakeSession } from './fake-electron';

vi.mock('electron', () => ({}));

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('is strict for the built app', () => {
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-/);
    const map = directives(policy);
    expect(map.get('default-src')).toEqual(["'self'"]);
    expect(map.get('script-src')).toEqual(["'self'"]);
    expect(map.get('style-src')).toEqual(["'self'"]);
    expect(map.get('object-src')).toEqual(["'none'"]);
    expect(map.get('frame-src')).toEqual(["'none'"]);
    expect(map.get('base-uri')).toEqual(["'none'"]);
    expect(map.get('form-action')).toEqual(["'none'"]);
  });

  it('relaxes only what Vite dev needs, for the dev server only', () => {
    const map = directives(developmentContentSecurityPolicy('http://localhost:5173/'));
    expect(map.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(map.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(map.get('default-src')).toEqual(["'self'"]);
    expect(map.get('object-src')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toContain('localhost');
  });
});

describe('installContentSecurityPolicy', () => {
  const session = new FakeSession();
  installContentSecurityPolicy(
    session as unknown as Session,
    (url) => url.startsWith('file:///app/'),
    'default-src x',
  );
  const respond = (url: string, responseHeaders?: Record<string, string[]>) => {
    let answer: unknown;
    session.headersListener?.(
      { url, ...(responseHeaders ? { responseHeaders } : {}) },
      (response) => {
        answer = response;
      },
    );
    return answer;
  };

  it("sets the policy on the app's own responses, replacing any other", () => {
    expect(respond('file:///app/index.html')).toEqual({
      responseHeaders: { 'Content-Security-Policy': ['default-src x'] },
    });
    expect(
      respond('file:///app/index.html', {
        'content-security-policy': ['default-src *'],
        'X-Other': ['1'],
      }),
    ).toEqual({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': ['default-src x'] },
    });
  });

  it('leaves foreign responses alone', () => {
    expect(respond('https://example.com/', { 'X-Other': ['1'] })).toEqual({});
  });
});
