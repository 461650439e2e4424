/**
 * Test support for the Chromium tests of the pipeline Worker: builds the PWA with Vite plus the harness page
 * (harness.html), serves it with the real server app over a socket — the default demo world (season 2022) and the
 * test model bundle — and launches Debian's Chromium, so that a test only opens pages and calls `window.geocrop`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../../../server/app';
import { loadConfig } from '../../../../server/config';
import { generateWorld } from '../../../../server/demo-world/generate';
import { listen, type Listening } from '../../../../server/http/test-listen';
import { writeTestModels } from './test-bundle';

/** Debian's Chromium; browser tests skip (with a console.warn) when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether {@link CHROMIUM} exists. */
export const hasChromium = existsSync(CHROMIUM);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const HARNESS = '/src/worker/testing/harness.html';

/** A served harness and a browser. */
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
 * Builds, serves and launches. Call in `beforeAll` (allow ~4 minutes on a loaded machine: Vite bundles onnxruntime
 * into the Worker; a demo world not generated yet takes longer) and `close()` in `afterAll`.
 *
 * @param onRequest sees the path of every request the server receives.
 */
export async function startHarnessServer(onRequest?: (path: string) => void): Promise<HarnessServer> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-harness-build-'));
  let modelsDir: string | undefined;
  let server: Listening | undefined;
  try {
    // Vitest sets NODE_ENV=test, which Vite would honour (React's development build): build as `npm run build` does.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: path.join(repo, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true, rolldownOptions: {
          input: { main: path.join(repo, 'web/index.html'), harness: path.join(repo, 'web', HARNESS) },
          // Bundling onnxruntime-web into the Worker is slow enough to trigger rolldown's timing report: not news here.
          checks: { pluginTimings: false },
        } },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    modelsDir = await writeTestModels();
    // The default world of `npm start` (reused when already generated; only the season the tests read otherwise).
    const demoDir = path.join(repo, '.cache/demo-world');
    const world = await generateWorld({ dir: demoDir, config: { seed: 42, seasons: [2022] } });
    const config = loadConfig({ PORT: '0', GEOCROP_DEMO_DIR: demoDir, GEOCROP_WEB_DIR: outDir }, repo);
    const outer = new Hono();
    outer.use('*', async (c, next) => {
      onRequest?.(c.req.path);
      await next();
    });
    outer.route('/', createApp({ config, world, modelsDir }));
    server = await listen(outer);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const url = server.url;
    const models = modelsDir;
    const listening = server;
    return {
      url,
      browser,
      modelsDir: models,
      async open(context) {
        const page = context ? await context.newPage() : await browser.newPage();
        await page.goto(url + HARNESS);
        await page.waitForFunction(() => document.title === 'harness ready');
        return page;
      },
      async close() {
        await browser.close();
        await listening.close();
        for (const dir of [outDir, models]) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.close();
    for (const dir of [outDir, modelsDir]) if (dir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
