/**
 * `npm run bench`: pipeline benchmarks on the default demo world (served in-process, so no socket noise), written
 * as JSON to `.cache/bench/results.json` and as a Markdown table on stdout (paste it into the README).
 *
 * Each case runs in its own child process so peak RSS (`maxRSS`) belongs to that case alone:
 * - 2 km and 5 km AOIs at 10 m over a full season: per-stage wall time, bytes fetched vs bytes of the COG tiles
 *   that intersect the AOI windows, pixel-observations per second folded into features, inference and smoothing
 *   pixels per second, peak RSS;
 * - time to the first 80 m preview of the 5 km AOI (what the PWA shows first);
 * - how often that preview agrees with the 10 m map, read from every date and from the app's `PREVIEW_MAX_DATES`;
 * - inference of every shipped model bundle and of the reference MLP (models/bench/synthetic.ts) on onnxruntime-web
 *   wasm with 1 and 2 threads: in Node (a child process per thread count) and in a module Worker of headless
 *   Chromium (a fresh Worker per thread count; skipped with a message when /usr/bin/chromium is missing), with
 *   bundle size and session creation time;
 * - the PWA as `npm start` serves it, in headless Chromium at 768×1024 (web/src/app/testing/pwa-timing.ts): seconds
 *   from "Map crops" to the preview and to the 10 m result for the demo area (2 km) and a 5 km area, first with
 *   nothing saved on the device and then again (tiles from the offline store), and the longest main-thread task.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { browserBenchUnavailable, runBrowserBench, type BrowserInferenceBench } from '../models/bench/browser/browser-bench';
import type { InferenceBench } from '../models/bench/measure';
import { benchTargets } from '../models/bench/targets';
import { timePwaRuns, type PwaTiming } from '../web/src/app/testing/pwa-timing';
import { hasChromium, serveApp } from '../web/src/app/testing/serve-app';
import { parseJobRequest } from '../shared/contract/job';
import { run } from '../shared/pipeline/run';
import { loadConfig } from '../server/config';
import { demoInProcess, ensureDemoWorld } from '../server/pipeline/demo';
import { loadModel } from '../server/pipeline/model';
import { mapAgreement } from '../server/pipeline/map-agreement';
import { nodePipelineEnv } from '../server/pipeline/node-env';
import { PREVIEW_MAX_DATES, PREVIEW_RESOLUTION } from '../web/src/app/run-controller';

interface CaseResult {
  name: string;
  radius_m: number;
  resolution: number;
  wall_ms: number;
  stages_ms: Record<string, number>;
  bytes_fetched: number;
  bytes_needed: number;
  fetch_ratio: number;
  requests: number;
  scenes_used: number;
  dates: number;
  pixels: number;
  pixel_observations: number;
  features_pixel_obs_per_s: number;
  infer_px_per_s: number;
  smooth_px_per_s: number;
  peak_rss_mb: number;
}

const CASES = [
  { name: '2 km, full season, 10 m', radius: 2000, resolution: 10 },
  { name: '5 km, full season, 10 m', radius: 5000, resolution: 10 },
  { name: '5 km, first preview, 80 m', radius: 5000, resolution: 80 },
] as const;

/**
 * PWA runs: the demo preset's size, and a 5 km area (the largest the demo world holds), each on a fresh profile with
 * nothing saved, then the 5 km area again in the same page (its tiles come from the offline store).
 */
const PWA_RUNS = [
  [{ run: 'demo area (2 km), first time', lon: 30.0, lat: -17.8, radius_m: 2000 }],
  [
    { run: '5 km, first time', lon: 30.0, lat: -17.8, radius_m: 5000 },
    { run: '5 km, again (tiles saved on the device)', lon: 30.0, lat: -17.8, radius_m: 5000 },
  ],
];

async function child(radius: number, resolution: 10 | 80): Promise<void> {
  const config = loadConfig();
  const demo = demoInProcess(config.demo.dir);
  const model = await loadModel('croptype-demo');
  const request = parseJobRequest({ aoi: { lon: 30.0, lat: -17.8, radius_m: radius }, year: 2022 });
  const t0 = performance.now();
  const result = await run(request, nodePipelineEnv({ fetch: demo.fetch, stacUrl: demo.stacUrl, s3Template: demo.s3HttpsTemplate, model }), { resolution, writeFiles: resolution === 10 });
  const wall = performance.now() - t0;
  await model.release();
  const m = result.manifest;
  const t = m.timings_ms;
  const px = result.grid.width * result.grid.height;
  const out: Omit<CaseResult, 'name'> = {
    radius_m: radius,
    resolution,
    wall_ms: Math.round(wall),
    stages_ms: t,
    bytes_fetched: m.bytes.fetched,
    bytes_needed: m.bytes.needed,
    fetch_ratio: Math.round((m.bytes.fetched / Math.max(1, m.bytes.needed)) * 1000) / 1000,
    requests: m.bytes.requests,
    scenes_used: m.scenes.used.length,
    dates: m.observations.dates,
    pixels: px,
    pixel_observations: m.observations.pixel_observations,
    features_pixel_obs_per_s: Math.round(m.observations.pixel_observations / ((m.observations.fold_ms + t.features) / 1000)),
    infer_px_per_s: Math.round(m.pixels.classified / (t.infer / 1000)),
    smooth_px_per_s: Math.round(px / (Math.max(1, t.smooth) / 1000)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(out));
}

/** A preview's agreement with the 10 m map of the same 5 km area, with every date and with the app's date budget. */
interface PreviewQuality {
  season: number;
  max_dates: number | null;
  dates: number;
  requests: number;
  wall_ms: number;
  agreement: number;
}

async function previewQuality(): Promise<PreviewQuality[]> {
  const config = loadConfig();
  const demo = demoInProcess(config.demo.dir);
  const model = await loadModel('croptype-demo');
  const env = nodePipelineEnv({ fetch: demo.fetch, stacUrl: demo.stacUrl, s3Template: demo.s3HttpsTemplate, model });
  const out: PreviewQuality[] = [];
  try {
    for (const season of config.demo.seasons) {
      const request = parseJobRequest({ aoi: { lon: 30.0, lat: -17.8, radius_m: 5000 }, year: season });
      const full = await run(request, env, { writeFiles: false });
      for (const maxDates of [undefined, PREVIEW_MAX_DATES]) {
        const t0 = performance.now();
        const preview = await run(request, env, { resolution: PREVIEW_RESOLUTION, maxDates, writeFiles: false });
        const wall = Math.round(performance.now() - t0);
        const m = preview.manifest;
        out.push({ season, max_dates: maxDates ?? null, dates: m.observations.dates, requests: m.bytes.requests, wall_ms: wall, agreement: mapAgreement(preview, full).agreement });
      }
    }
  } finally {
    await model.release();
  }
  return out;
}

async function main(): Promise<void> {
  const childIdx = process.argv.indexOf('--child');
  if (childIdx > 0) return child(Number(process.argv[childIdx + 1]), Number(process.argv[childIdx + 2]) as 10 | 80);
  const config = loadConfig();
  await ensureDemoWorld({ dir: config.demo.dir, seed: config.demo.seed, seasons: config.demo.seasons });
  const results: CaseResult[] = [];
  for (const c of CASES) {
    console.error(`bench: ${c.name} …`);
    const json = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bench.ts'), '--child', String(c.radius), String(c.resolution)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    results.push({ name: c.name, ...(JSON.parse(json) as Omit<CaseResult, 'name'>) });
  }
  console.error('bench: preview agreement with the 10 m map (5 km, every demo season) …');
  const previews = await previewQuality();
  // Model inference: each target on onnxruntime-web wasm, 1 and 2 threads (one process or Worker per thread count:
  // onnxruntime fixes it at the first session).
  const outDir = path.join(import.meta.dirname, '..', '.cache', 'bench');
  const targets = await benchTargets(path.join(outDir, 'models'));
  const inference: (InferenceBench | BrowserInferenceBench)[] = [];
  for (const { id, root } of targets) {
    for (const threads of [1, 2]) {
      console.error(`bench: inference ${id}, Node, ${threads} thread(s) …`);
      const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'models', 'bench', 'inference.ts'), '--models', root, '--model', id, '--threads', String(threads), '--json'], { encoding: 'utf8' });
      inference.push(JSON.parse(out.trim().split('\n').pop()!) as InferenceBench);
    }
  }
  const noBrowser = browserBenchUnavailable();
  if (noBrowser) console.error(`bench: ${noBrowser}`);
  else inference.push(...(await runBrowserBench({ targets, log: (line) => console.error(`bench: ${line}`) })));
  const pwa: (PwaTiming & { run: string })[] = [];
  if (hasChromium) {
    console.error('bench: the PWA in Chromium (build, serve, three runs) …');
    const app = await serveApp();
    try {
      // A fresh browser context (empty offline store) per group.
      for (const group of PWA_RUNS) {
        const timed = await timePwaRuns(app, group);
        pwa.push(...timed.map((t, i) => ({ run: group[i].run, ...t })));
      }
    } finally {
      await app.close();
    }
  } else console.error('bench: /usr/bin/chromium is missing (apt-get install chromium): PWA timings skipped');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), cores: (await import('node:os')).cpus().length, results, previews, inference, pwa }, null, 2)}\n`);
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const s = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(1));
  console.log('| case | wall s | search+plan s | read s | features s | infer s | smooth s | export s | requests | MB fetched / needed (ratio) | pixel-obs/s | infer px/s | smooth px/s | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const t = r.stages_ms;
    console.log(`| ${r.name} | ${s(r.wall_ms)} | ${s((t.search ?? 0) + (t.plan ?? 0))} | ${s(t.read)} | ${s(t.features)} | ${s(t.infer)} | ${s(t.smooth)} | ${s(t.export)} | ${r.requests} | ${mb(r.bytes_fetched)} / ${mb(r.bytes_needed)} (${r.fetch_ratio}) | ${(r.features_pixel_obs_per_s / 1e6).toFixed(1)} M | ${(r.infer_px_per_s / 1e3).toFixed(0)} k | ${(r.smooth_px_per_s / 1e6).toFixed(1)} M | ${r.peak_rss_mb} |`);
  }
  console.log('\n| preview (80 m, 5 km) | season | dates read | requests | wall s | agrees with the 10 m map |');
  console.log('|---|---|---|---|---|---|');
  for (const p of previews) console.log(`| ${p.max_dates ? `at most ${p.max_dates} dates` : 'every date'} | ${p.season} | ${p.dates} | ${p.requests} | ${s(p.wall_ms)} | ${(p.agreement * 100).toFixed(1)} % |`);
  console.log('\n| model | MB | runtime | threads | open ms | first pass rows/s | session.run rows/s | classify rows/s |');
  console.log('|---|---|---|---|---|---|---|---|');
  const runtime = (m: InferenceBench | BrowserInferenceBench) => ('isolated' in m ? `Chromium worker${m.isolated ? '' : ' (not isolated)'}, ${m.thread_workers} thread Worker(s)` : 'Node');
  for (const t of targets) {
    const name = t.shipped ? t.id : `${t.id} (benchmark only, not shipped)`;
    for (const m of inference.filter((x) => x.model === t.id)) {
      console.log(`| ${name} | ${(m.bytes / 1e6).toFixed(2)} | ${runtime(m)} | ${m.threads} | ${m.open_ms} | ${(m.first_pass_rows_per_s / 1e3).toFixed(0)} k | ${(m.run_rows_per_s / 1e3).toFixed(0)} k | ${(m.classify_rows_per_s / 1e3).toFixed(0)} k |`);
    }
  }
  if (noBrowser) console.log(`\nChromium rows missing: ${noBrowser}.`);
  if (pwa.length) {
    console.log('\n| PWA run | baseline s | preview s | full s | longest main-thread task ms | tasks > 200 ms |');
    console.log('|---|---|---|---|---|---|');
    for (const r of pwa) console.log(`| ${r.run} | ${r.baseline_s ?? '—'} | ${r.preview_s ?? '—'} | ${r.full_s} | ${r.longest_task_ms} | ${r.long_tasks_over_200ms} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
