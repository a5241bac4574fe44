import { test as base, type BrowserContext } from '@playwright/test';

export { expect } from '@playwright/test';
export type { APIRequestContext, APIResponse, Browser, Page } from '@playwright/test';

/**
 * The tests' `test`, whose `context` and `page` come from one browser context per worker instead of
 * a new one per test. A new context starts with empty caches, so its first page fetches and compiles
 * the console's scripts again: here a page load cost 1.2 CPU-seconds in a new context and 0.6 in one
 * that had loaded the console before (the end-to-end run is bound by Chromium's CPU on 2 cores).
 *
 * Each test still starts as a new visitor: signed out (the cookies are cleared), on a page of its
 * own, and any page a test opened in the context is closed after it. A test that asks for another
 * locale or viewport (`test.use`) gets a context of its own, as Playwright's own fixture would give.
 * Contexts a test makes itself (`browser.newContext()`, two people at once) are unaffected.
 *
 * The fixtures name Playwright's `use` callback `provide`: the React lint takes `use` for a hook.
 */
export const test = base.extend<object, { sharedContext: BrowserContext }>({
  sharedContext: [
    async ({ browser }, provide, workerInfo) => {
      const { baseURL, locale } = workerInfo.project.use;
      const context = await browser.newContext({ baseURL, locale });
      await provide(context);
      await context.close();
    },
    { scope: 'worker' },
  ],

  context: async ({ sharedContext, browser, locale, viewport, baseURL }, provide, testInfo) => {
    const defaults = testInfo.project.use;
    const sameViewport = viewport === undefined || (viewport?.width === 1280 && viewport?.height === 720);
    if (locale !== defaults.locale || !sameViewport) {
      const own = await browser.newContext({ baseURL, locale, viewport });
      await provide(own);
      await own.close();
      return;
    }
    await sharedContext.clearCookies();
    await provide(sharedContext);
    await Promise.all(sharedContext.pages().map((page) => page.close()));
  },

  page: async ({ context }, provide) => {
    const page = await context.newPage();
    await provide(page);
    await page.close();
  },
});
