// The operator's dashboard in a real browser: Debian's Chromium (installed on first use) driven by
// playwright-core, one page per test, closed when the test ends.
import { fileURLToPath } from 'node:url';
import { chromium, type Locator, type Page } from 'playwright-core';
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

/**
 * Waits for `locator` like locator.waitFor, but a timeout fails with what the page showed and the
 * operator's last log lines: a wait that only says "timed out" leaves nothing to go on.
 */
export async function waitOrExplain(page: Page, locator: Locator, operatorTail: () => string, timeout = 60_000): Promise<void> {
  await locator.waitFor({ timeout }).catch(async (error: Error) => {
    const shown = (
      await page
        .locator('body')
        .innerText()
        .catch(() => '(page unreadable)')
    ).slice(0, 800);
    throw new Error(`${error.message}; the page: ${shown}; operator: ${operatorTail()}`);
  });
}
