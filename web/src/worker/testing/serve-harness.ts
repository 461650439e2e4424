/**
 * The harness page (web/src/worker/testing/harness.html) served like the app: the production build with the harness
 * as an extra page, the server app with the default demo world and the seeded test model bundle, and Chromium.
 * Used by the Worker/Node parity test and the offline cache's browser test.
 */
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, serveApp } from '../../app/testing/serve-app';
import { writeTestModels } from './test-bundle';

export { CHROMIUM };
export { hasChromium } from '../../app/testing/serve-app';

const HARNESS = '/src/worker/testing/harness.html';

/** A served harness. */
export interface HarnessServer {
  /** Base URL of the server, without trailing slash. */
  url: string;
  browser: Browser;
  /** The models folder the server serves (the test model bundle). */
  modelsDir: string;
  /** Opens the harness page in `context` (default: the browser's default context) and waits until it is ready. */
  open(context?: BrowserContext): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Builds and serves the harness.
 *
 * @param onRequest called with the path of every request the server receives.
 */
export async function startHarnessServer(onRequest?: (path: string) => void): Promise<HarnessServer> {
  const modelsDir = await writeTestModels();
  try {
    const app = await serveApp({
      modelsDir,
      pages: [HARNESS],
      intercept: async (c, next) => {
        onRequest?.(c.req.path);
        await next();
      },
    });
    return {
      url: app.url,
      browser: app.browser,
      modelsDir,
      async open(context) {
        const page = context ? await context.newPage() : await app.browser.newPage();
        await page.goto(app.url + HARNESS);
        await page.waitForFunction(() => document.title === 'harness ready');
        return page;
      },
      async close() {
        await app.close();
        await rm(modelsDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(modelsDir, { recursive: true, force: true });
    throw err;
  }
}
