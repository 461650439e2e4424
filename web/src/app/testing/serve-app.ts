/**
 * The PWA as `npm start` serves it, for browser tests and benchmarks: a production Vite build (service worker
 * included), the server app over a socket with the default demo world (generated when missing, season 2022) and the
 * shipped models, and Debian's Chromium. Node-only (tests and scripts).
 */
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

/**
 * Builds and serves the app and launches Chromium.
 *
 * @param intercept middleware in front of the app (e.g. to count COG requests).
 */
export async function serveApp(opts: { intercept?: MiddlewareHandler } = {}): Promise<ServedApp> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'geocrop-pwa-build-'));
  // Vitest sets NODE_ENV=test, which Vite would honour (React's development build): build as `npm run build` does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(repo, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, rolldownOptions: { checks: { pluginTimings: false } } } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const demoDir = path.join(repo, '.cache/demo-world');
  const world = await generateWorld({ dir: demoDir, config: { seed: 42, seasons: [2022] } });
  const config = loadConfig({ PORT: '0', GEOCROP_DEMO_DIR: demoDir, GEOCROP_WEB_DIR: outDir }, repo);
  const outer = new Hono();
  if (opts.intercept) outer.use('*', opts.intercept);
  outer.route('/', createApp({ config, world }));
  const server = await listen(outer);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    url: server.url,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
