/**
 * `npm run model:demo-data -- [--out FILE] [--per-class N]`: generates the croptype-demo TRAINING world (seed
 * 1234 around 30.9°E 18.2°S — not the default world the app and the accuracy tests use) and writes labelled
 * feature rows for seasons 2022 and 2023 as a whitespace table with a `# ` header, the format `npm run train`
 * reads. Reproduces models/croptype-demo together with the train command in models/croptype-demo/card.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateWorld } from '../../server/demo-world/generate';
import { DEFAULT_CONFIG, type WorldConfig } from '../../server/demo-world/world-config';
import { demoInProcess } from '../../server/pipeline/demo';
import { sampleWorld } from './sample-world';

/** The training world: same generator, another seed and region than the default world. */
export const TRAINING_WORLD: WorldConfig = { ...DEFAULT_CONFIG, seed: 1234, centre: [30.9, -18.2], seasons: [2022, 2023] };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const out = path.resolve(arg('out', '.cache/training/croptype-demo.txt'));
  const perClass = Number(arg('per-class', '2500'));
  const dir = path.resolve(arg('world-dir', '.cache/training-world'));
  console.error(`training world → ${dir}`);
  await generateWorld({ dir, config: TRAINING_WORLD, onProgress: (p) => p.phase !== 'scenes' && console.error(`world: ${p.phase}`) });
  const { fetch, stacUrl, s3HttpsTemplate } = demoInProcess(dir);
  const env = { fetch, stacUrl, s3HttpsTemplate };
  const lines: string[] = [];
  let header: string[] = [];
  for (const year of TRAINING_WORLD.seasons) {
    const t0 = performance.now();
    const table = await sampleWorld({ config: TRAINING_WORLD, env, year, perClass, seed: year });
    header = table.header;
    for (const row of table.rows) lines.push(Array.from(row, (v, i) => (i === 0 ? String(v) : v.toPrecision(7))).join(' '));
    console.error(`season ${year}: ${table.rows.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `# ${header.join(' ')}\n${lines.join('\n')}\n`);
  console.error(`wrote ${lines.length} rows → ${out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
