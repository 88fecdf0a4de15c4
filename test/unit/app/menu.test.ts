import { describe, expect, it, vi } from 'vitest';
import { type MenuItemConstructorOptions } from 'electron';
import {
  DOCS_URL,
  developerMenuItems,
  installMenu,
  menuTemplate,
} from '../../../src/main/app/menu';

const electron = vi.hoisted(() => ({
  Menu: {
    buildFromTemplate: vi.fn((template: unknown) => ({ template })),
    setApplicationMenu: vi.fn(),
  },
}));
vi.mock('electron', () => electron);

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

const base = { isMac: false, developerItems: [], openExternal: () => undefined };

describe('menuTemplate', () => {
  it('has File, Edit, View, Window and Help', () => {
    const template = menuTemplate(base);
    expect(template.map((item) => item.label ?? item.role)).toEqual([
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
    expect(roles(template)).toContain('quit');
  });

  it('adds the app menu on macOS, where File closes the window', () => {
    const template = menuTemplate({ ...base, isMac: true });
    expect(template[0]?.role).toBe('appMenu');
    expect(roles(template)).toContain('close');
    expect(roles(template)).not.toContain('quit');
  });

  it('has no DevTools and no reload in production builds', () => {
    const all = roles(menuTemplate(base));
    expect(all).not.toContain('toggleDevTools');
    expect(all).not.toContain('reload');
    expect(all).not.toContain('forceReload');
  });

  it('has DevTools in development builds', () => {
    expect(roles(menuTemplate({ ...base, developerItems: developerMenuItems() }))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload']),
    );
  });

  it('opens the documentation through the given (validating) opener', () => {
    const openExternal = vi.fn();
    const help = menuTemplate({ ...base, openExternal }).find((item) => item.role === 'help');
    const [item] = help?.submenu as MenuItemConstructorOptions[];
    (item?.click as () => void)();
    expect(openExternal).toHaveBeenCalledWith(DOCS_URL);
  });

  it('installMenu sets it as the application menu', () => {
    installMenu(base);
    const built = electron.Menu.buildFromTemplate.mock.results[0]?.value as {
      template: MenuItemConstructorOptions[];
    };
    expect(built.template.map((item) => item.label ?? item.role)).toEqual([
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(built);
  });
});
