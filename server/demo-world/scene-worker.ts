/** Worker thread entry: renders acquisition dates for the generator's pool (see generate.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { renderAcquisition, type AcquisitionJob } from './acquisition';
import type { WorldConfig } from './world-config';
import { buildWorldModel } from './world-model';

const { config, dir } = workerData as { config: WorldConfig; dir: string };
const world = buildWorldModel(config);

parentPort!.on('message', (job: AcquisitionJob) => {
  try {
    parentPort!.postMessage({ ok: true, date: job.date, items: renderAcquisition(world, dir, job) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, date: job.date, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
