/**
 * The PWA as `npm start` serves it, for browser tests and benchmarks: a production Vite build (service worker
 * included), the server app over a socket with the default demo world (generated when missing, season 2022) and the
 * shipped models, and Debian's Chromium. Node-only (tests and scripts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type MiddlewareHandler } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../../../server/app';
import { loadConfig } from '../../../../server/config';
import { generateWorld } from '../../../../server/demo-world/generate';
import { listen, type Listening } from '../../../../server/http/test-listen';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
/** Browser tests skip (saying so) without it. */
export const hasChromium = existsSync(CHROMIUM);
/** Flags for headless runs in containers (TOOLCHAIN §8). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A served app and a browser; `close()` stops both and removes the build. */
export interface ServedApp {
  url: string;
  server: Listening;
  browser: Browser;
  close(): Promise<void>;
}

/** Options of {@link serveApp}. */
export interface ServeAppOptions {
  /** Middleware in front of the app (e.g. to count COG requests). */
  intercept?: MiddlewareHandler;
  /** Models folder to serve (default the repo's `models/`). */
  modelsDir?: string;
  /** Extra HTML entries of the build, paths relative to `web/` (test pages). */
  pages?: string[];
}

/** Builds and serves the app and launches Chromium; on failure, undoes what was started. */
export async function serveApp(opts: ServeAppOptions = {}): Promise<ServedApp> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-pwa-build-'));
  let server: Listening | undefined;
  try {
    // Vitest sets NODE_ENV=test, which Vite would honour (React's development build): build as `npm run build` does.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const input = opts.pages && Object.fromEntries([['main', path.join(repo, 'web/index.html')], ...opts.pages.map((p, i) => [`page${i}`, path.join(repo, 'web', p)])]);
      // Bundling onnxruntime-web into the Worker is slow enough to trigger rolldown's timing report: not news here.
      await build({ configFile: path.join(repo, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, rolldownOptions: { input, checks: { pluginTimings: false } } } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    // The default world of `npm start` (reused when already generated; only the season the tests read otherwise).
    const demoDir = path.join(repo, '.cache/demo-world');
    const world = await generateWorld({ dir: demoDir, config: { seed: 42, seasons: [2022] } });
    const config = loadConfig({ PORT: '0', GEOCROP_DEMO_DIR: demoDir, GEOCROP_WEB_DIR: outDir }, repo);
    const outer = new Hono();
    if (opts.intercept) outer.use('*', opts.intercept);
    outer.route('/', createApp({ config, world, modelsDir: opts.modelsDir }));
    server = await listen(outer);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const listening = server;
    return {
      url: server.url,
      server,
      browser,
      async close() {
        await browser.close();
        await listening.close();
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
    throw err;
  }
}
