/**
 * Forest training benchmark: `npx tsx models/train/bench.ts [rows] [features] [trees] [classes]` (defaults
 * 50000 × 51, 100 trees, 6 overlapping classes). Prints wall and CPU time; the data is seeded synthetic blobs
 * whose classes overlap, so trees grow deep as on real land-cover samples.
 */
import { trainForest } from './forest';
import { gaussianBlobs } from './synthetic';
import { treeDepth } from './tree';

const [rows = 50_000, features = 51, trees = 100, classes = 6] = process.argv.slice(2).map(Number);
const d = gaussianBlobs(rows, features, classes, 1, 1.5, 12);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const model = trainForest(d.x, d.y, classes, { nTrees: trees, seed: 1 });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0).user / 1e6;
const nodes = model.trees.reduce((a, t) => a + t.feature.length, 0);
console.log(
  `${rows} × ${features}, ${classes} classes, ${trees} trees: ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU; ` +
    `${Math.round(nodes / trees)} nodes/tree, depth ≤ ${Math.max(...model.trees.map(treeDepth))}`,
);
