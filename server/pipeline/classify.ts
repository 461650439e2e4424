/**
 * One classification job run from Node, as `npm run classify` does it: validate the request under the server's
 * limits, load the model bundle, pick the data source (a STAC API, or the demo world in-process), run the
 * pipeline and write every output file. The entry point (`cli.ts`) only parses flags and prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GeoCropError, isGeoCropError } from '../../shared/contract/errors';
import type { JobRequest } from '../../shared/contract/job';
import type { ProgressEvent } from '../../shared/contract/stages';
import { run } from '../../shared/pipeline/run';
import type { PipelineEnv, RunResult } from '../../shared/pipeline/types';
import { DEMO_PATHS, type Config } from '../config';
import type { GenerateProgress, WorldManifest } from '../demo-world/generate';
import { createFaultInjector } from '../http';
import { buildRequest, type ClassifyArgs } from './args';
import { demoInProcess, ensureDemoWorld } from './demo';
import { loadModel } from './model';
import { nodePipelineEnv } from './node-env';

/** What {@link classifyJob} needs from its surroundings. */
export interface ClassifyIo {
  config: Config;
  /** Folder that relative `--out` / `--demo-dir` / `--models` resolve against. */
  cwd: string;
  onProgress?: (event: ProgressEvent) => void;
  onWorldProgress?: (p: GenerateProgress) => void;
}

/** A finished job. */
export interface ClassifyOutcome {
  request: JobRequest;
  result: RunResult;
  /** Absolute output folder. */
  outDir: string;
  /** Files written, with sizes in bytes, in `result.files` order. */
  files: { name: string; bytes: number }[];
  /** Where the scenes came from: `demo` (in-process world in `demoDir`) or the STAC URL. */
  source: { kind: 'demo'; dir: string; seasons: readonly number[] } | { kind: 'stac'; url: string };
}

/**
 * The s3:// template for a STAC URL when none is given: a GeoCrop server's demo STAC (`…/demo/stac`) serves its
 * COGs at `…/demo/s3/{bucket}/{key}` on the same origin; anything else is DE Africa-like (the configured template).
 */
export function defaultS3Template(stacUrl: string, configured: string): string {
  const url = new URL(stacUrl);
  const demoStac = url.pathname.replace(/\/+$/, '');
  if (demoStac.endsWith(DEMO_PATHS.stac)) return `${url.origin}${demoStac.slice(0, -DEMO_PATHS.stac.length)}${DEMO_PATHS.s3}/{bucket}/{key}`;
  return configured;
}

async function demoSource(args: ClassifyArgs, io: ClassifyIo, signal?: AbortSignal): Promise<{ env: Omit<PipelineEnv, 'model'>; world: WorldManifest; dir: string }> {
  const dir = args.demoDir !== undefined ? path.resolve(io.cwd, args.demoDir) : io.config.demo.dir;
  const world = await ensureDemoWorld({ dir, seed: io.config.demo.seed, seasons: io.config.demo.seasons, keepExisting: args.demoDir !== undefined, onProgress: io.onWorldProgress }, signal);
  // The configured faults apply here too, so GEOCROP_FAULT_* can be demonstrated without a server.
  const demo = demoInProcess(dir, createFaultInjector(io.config.faults));
  return { env: { fetch: demo.fetch, stacUrl: demo.stacUrl, s3HttpsTemplate: demo.s3HttpsTemplate }, world, dir };
}

/**
 * Runs one job and writes its files to `args.out` (default `<cwd>/out/<job_id>`).
 *
 * @throws GeoCropError from the request contract, the model loader or the pipeline (`NO_SCENES`, `ALL_CLOUDY`…);
 *   AbortError when `signal` fires.
 * @example
 * const outcome = await classifyJob(parseClassifyArgs(process.argv.slice(2)), { config: loadConfig(), cwd: process.cwd() });
 */
export async function classifyJob(args: ClassifyArgs, io: ClassifyIo, signal?: AbortSignal): Promise<ClassifyOutcome> {
  const request = buildRequest(args, { maxRadiusM: io.config.maxRadiusM });
  // The model first: a missing bundle should fail in a second, not after a minute of world generation.
  const model = await loadModel(request.model, { root: args.models !== undefined ? path.resolve(io.cwd, args.models) : undefined }, signal);
  try {
    let source: ClassifyOutcome['source'];
    let env: PipelineEnv;
    if (args.stac !== undefined) {
      const stacUrl = args.stac.replace(/\/+$/, '');
      env = nodePipelineEnv({ model, stacUrl, s3Template: args.s3Template ?? defaultS3Template(stacUrl, io.config.s3HttpsTemplate) });
      source = { kind: 'stac', url: stacUrl };
    } else {
      const demo = await demoSource(args, io, signal);
      env = nodePipelineEnv({ model, fetch: demo.env.fetch, stacUrl: demo.env.stacUrl, s3Template: args.s3Template ?? demo.env.s3HttpsTemplate });
      source = { kind: 'demo', dir: demo.dir, seasons: demo.world.config.seasons };
    }
    let result: RunResult;
    try {
      result = await run(request, env, { onProgress: io.onProgress, signal, resolution: args.resolution });
    } catch (err) {
      throw source.kind === 'demo' ? withDemoHint(err, request.year, source) : err;
    }
    const outDir = path.resolve(io.cwd, args.out ?? path.join('out', request.job_id));
    await mkdir(outDir, { recursive: true });
    const files: ClassifyOutcome['files'] = [];
    for (const [name, bytes] of Object.entries(result.files)) {
      await writeFile(path.join(outDir, name), bytes);
      files.push({ name, bytes: bytes.length });
    }
    return { request, result, outDir, files, source };
  } finally {
    await model.release();
  }
}

/** The demo world holds only the seasons it was generated for: say how to get the one asked for. */
function withDemoHint(err: unknown, year: number, source: { dir: string; seasons: readonly number[] }): unknown {
  if (!isGeoCropError(err, 'NO_SCENES') || source.seasons.includes(year)) return err;
  const seasons = [...source.seasons, year].sort((a, b) => a - b).join(',');
  return new GeoCropError('NO_SCENES', `${err.message} The demo world in ${source.dir} holds season(s) ${source.seasons.join(', ')} only: pass --year ${source.seasons.join(' or ')}, or add season ${year} to the default world with GEOCROP_DEMO_SEASONS=${seasons}.`, err.details);
}
