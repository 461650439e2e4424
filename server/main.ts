/**
 * `npm start`: reads the configuration, generates whatever part of the demo world is missing (first run only),
 * then serves the app. Prints where it listens.
 */
import { serve } from '@hono/node-server';
import { loadConfig } from './config';
import { createApp } from './app';
import { generateWorld } from './demo-world/generate';

async function main(): Promise<void> {
  const config = loadConfig();
  const t0 = performance.now();
  let last = '';
  const world = await generateWorld({
    dir: config.demo.dir,
    config: { seed: config.demo.seed, seasons: config.demo.seasons },
    onProgress: (p) => {
      const line = p.phase === 'scenes' ? `demo world: season ${p.season} ${p.done}/${p.total} dates` : `demo world: ${p.phase}`;
      if (line !== last) { console.log(line); last = line; }
    },
  });
  console.log(`demo world ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${config.demo.dir})`);
  const app = createApp({ config, world });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`GeoCrop listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`geocrop: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
