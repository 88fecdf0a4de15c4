import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium; never a browser downloaded by playwright. `extraArgs`: e.g. `--js-flags=…`. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      ...extraArgs,
    ],
  });
}

/** A fresh profile (empty storage) with a fixed size and the given system theme. */
export function newContext(
  browser: Browser,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme,
    deviceScaleFactor: 1,
  });
}
