// The operator's dashboard in a real browser: Debian's Chromium (installed on first use) driven by
// playwright-core, one page per test, closed when the test ends.
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_BINARY, ensureChromium } from '../../src/localcluster/debian-packages.ts';

/** Where the tests save the screenshots the README shows. */
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export async function dashboardPage(t: { after(fn: () => Promise<unknown>): void }): Promise<Page> {
  await ensureChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM_BINARY });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Actions ask "are you sure?": the test says yes.
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** Gives the page a bearer token through its header form, as a user pastes one. */
export async function useToken(page: Page, token: string): Promise<void> {
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
}

/** Marks the window; `stillSameWindow` is false once the page has been reloaded. */
export async function markWindow(page: Page): Promise<void> {
  await page.evaluate('window.notReloaded = true');
}

export async function stillSameWindow(page: Page): Promise<boolean> {
  return (await page.evaluate('window.notReloaded === true')) === true;
}
