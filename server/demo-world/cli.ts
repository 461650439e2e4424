/**
 * `npm run world -- --out DIR [--seed N] [--seasons 2022,2023] [--workers N]`: generates (or completes) a demo
 * world into DIR and prints what it made.
 */
import { parseArgs } from 'node:util';
import { generateWorld } from './generate';
import { parseSeasons } from './seasons-arg';

const USAGE = 'usage: npm run world -- --out DIR [--seed N] [--seasons 2022,2023] [--workers N]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, seed: { type: 'string' }, seasons: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) { console.log(USAGE); return; }
  if (!values.out) throw new Error(`--out is required.\n${USAGE}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new Error(`--seed must be a whole number ≥ 0, got "${values.seed}"`);
  const seasons = values.seasons === undefined ? undefined : parseSeasons(values.seasons);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) throw new Error(`--workers must be a whole number ≥ 0, got "${values.workers}"`);
  const t0 = performance.now();
  let last = '';
  const manifest = await generateWorld({
    dir: values.out,
    config: { ...(seed === undefined ? {} : { seed }), ...(seasons ? { seasons } : {}) },
    workers,
    onProgress: (p) => {
      const line = p.phase === 'scenes' ? `season ${p.season}: ${p.done}/${p.total} dates` : p.phase;
      if (line !== last) { process.stdout.write(`\r${line.padEnd(40)}`); last = line; }
    },
  });
  process.stdout.write('\n');
  console.log(`demo world ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${values.out}`);
  console.log(JSON.stringify({ seed: manifest.config.seed, seasons: manifest.seasons, tiles: manifest.tiles.map((t) => t.id), anomalies: manifest.anomalies }, null, 2));
}

main().catch((err: unknown) => {
  console.error(`world: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
