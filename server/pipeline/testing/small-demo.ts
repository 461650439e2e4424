/**
 * Test support for tests of how a run's dates are read: the small demo world ({@link SMALL_WORLD}) generated once per
 * test file and served in-process, and a model in plain code — the reads and the fold, not inference, are under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { CLASSES } from '../../../shared/contract/classes';
import type { PipelineModel } from '../../../shared/pipeline/types';
import { generateWorld } from '../../demo-world/generate';
import { demoInProcess, type DemoSource } from '../demo';
import { SMALL_WORLD } from './world-server';

/**
 * Generates the small world before the file's tests (in a temporary folder removed after them).
 *
 * @returns the in-process source, valid inside tests.
 */
export function useSmallDemo(): () => DemoSource {
  let dir = '';
  let demo: DemoSource | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'geocrop-small-demo-'));
    await generateWorld({ dir, config: SMALL_WORLD, workers: 2 });
    demo = demoInProcess(dir);
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!demo) throw new Error('useSmallDemo(): the world is generated in beforeAll; use it inside tests');
    return demo;
  };
}

/** Maize above an NDVI peak of 0.6, else grassland; confidence = distance from 0.6. */
export const ndviRuleModel: PipelineModel = {
  id: 'ndvi-rule', version: '1', featureNames: ['ndvi_peak', 'ndvi_mean', 'evi_peak', 'bsi_dry'], classes: CLASSES,
  async classify(rows, names, valid) {
    const k = names.indexOf('ndvi_peak');
    const n = rows.length / names.length;
    const classes = new Uint8Array(n).fill(255);
    const confidence = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const v = rows[i * names.length + k];
      classes[i] = v > 0.6 ? 0 : 7;
      confidence[i] = Math.abs(v - 0.6);
    }
    return { classes, confidence };
  },
};
