/**
 * Accuracy of a pipeline result against a demo world's ground truth: the map a user gets (`refined`) compared
 * pixel by pixel with the truth raster, over the AOI pixels that had at least one clear observation (the issue's
 * rule), with per-class producer's and user's accuracy.
 */
import { CLASS_NODATA, CLASSES } from '../../shared/contract/classes';
import type { RunResult } from '../../shared/pipeline/types';
import type { WorldConfig } from '../../server/demo-world/world-config';
import { classificationMetrics, type ClassificationMetrics } from '../train/metrics';
import { truthOnGrid } from './sample-world';

/** Map accuracy of one run, with per-class rows for reports. */
export interface MapAccuracy {
  metrics: ClassificationMetrics;
  perClass: { name: string; producers: number; users: number; support: number }[];
}

/** Compares `result.layers.refined` with the world's truth. */
export function mapAccuracy(result: RunResult, config: WorldConfig): MapAccuracy {
  const truth = truthOnGrid(config, result.grid);
  const { refined, aoiMask, features } = result.layers;
  const ref: number[] = [];
  const pred: number[] = [];
  for (let i = 0; i < refined.length; i++) {
    if (!aoiMask[i] || !features.valid[i] || truth[i] === CLASS_NODATA || refined[i] === CLASS_NODATA) continue;
    ref.push(truth[i]);
    pred.push(refined[i]);
  }
  const metrics = classificationMetrics(ref, pred, CLASSES.length);
  return {
    metrics,
    perClass: CLASSES.map((c) => ({ name: c.name, producers: metrics.producersAccuracy[c.code], users: metrics.usersAccuracy[c.code], support: metrics.support[c.code] })),
  };
}
