/**
 * What the CLI prints: throttled stage progress (stderr), the job summary (stdout) and the one-line failure
 * `CODE: message` (stderr) that scripts can match on.
 */
import { isGeoCropError, type ErrorCode } from '../../shared/contract/errors';
import type { ProgressEvent } from '../../shared/contract/stages';
import { seasonLabel } from '../../shared/stac/search-season';
import { formatBytes } from '../../shared/text/format-bytes';
import type { ClassifyOutcome } from './classify';

/**
 * A progress sink printing `elapsed stage percent message` lines. The pipeline reports per date and per row
 * block (hundreds of events, some stages in a few milliseconds), so within a stage a line is printed only at a
 * further 10 % and at least `minGapMs` after the previous one; the start and the end of every stage always print.
 */
export function progressPrinter(write: (line: string) => void, now: () => number = () => performance.now(), minGapMs = 500): (e: ProgressEvent) => void {
  const t0 = now();
  let stage = '';
  let decile = -1;
  let lastAt = -Infinity;
  return (e) => {
    const t = now();
    const d = Math.floor(e.fraction * 10);
    if (e.stage === stage) {
      const finished = e.fraction === 1 && decile < 10;
      if (!finished && (d <= decile || t - lastAt < minGapMs)) return;
    }
    stage = e.stage;
    decile = d;
    lastAt = t;
    const seconds = ((t - t0) / 1000).toFixed(1).padStart(6);
    write(`${seconds}s  ${e.stage.padEnd(14)} ${`${Math.round(e.fraction * 100)}%`.padStart(4)}${e.message ? `  ${e.message}` : ''}`);
  };
}

/** Skip reasons name scenes and URLs; the summary counts them by their kind. */
function reasonKind(reason: string): string {
  return reason.replace(/ by \S+$/, '').replace(/\(s\)/g, 's').replace(/:.*$/s, '').trim();
}

/** The summary printed after a successful job. */
export function formatSummary(o: ClassifyOutcome, elapsedMs: number): string {
  const m = o.result.manifest;
  const { aoi } = o.request;
  const res = m.grid.resolution;
  const lines: string[] = [];
  lines.push(`Job ${m.job_id}: ${aoi.radius_m} m around ${aoi.lon}, ${aoi.lat}, season ${seasonLabel(o.request.year)}, model ${m.model.id}@${m.model.version}`);
  lines.push(`Source: ${o.source.kind === 'demo' ? `demo world ${o.source.dir} (in-process)` : o.source.url}`);
  const total = o.files.reduce((a, f) => a + f.bytes, 0);
  lines.push(`Files in ${o.outDir} (${o.files.length}, ${formatBytes(total)}):`);
  for (const f of o.files) lines.push(`  ${f.name.padEnd(28)} ${formatBytes(f.bytes).padStart(9)}`);
  lines.push(`Class areas (refined map inside the AOI, ${res} m pixels = ${(res * res) / 1e4} ha):`);
  const aoiHa = (m.pixels.aoi * res * res) / 1e4;
  for (const c of m.class_areas_ha.filter((a) => a.pixels > 0).sort((a, b) => b.pixels - a.pixels)) {
    lines.push(`  ${c.name.padEnd(16)} ${c.hectares.toFixed(2).padStart(10)} ha ${((100 * c.pixels) / Math.max(1, m.pixels.aoi)).toFixed(1).padStart(5)} %`);
  }
  if (m.pixels.no_observation > 0) lines.push(`  ${'(no observation)'.padEnd(16)} ${((m.pixels.no_observation * res * res) / 1e4).toFixed(2).padStart(10)} ha`);
  lines.push(`  ${'AOI'.padEnd(16)} ${aoiHa.toFixed(2).padStart(10)} ha`);
  const kinds = new Map<string, number>();
  for (const s of m.scenes.skipped) kinds.set(reasonKind(s.reason), (kinds.get(reasonKind(s.reason)) ?? 0) + 1);
  const dates = new Set(m.scenes.used.map((s) => s.date)).size;
  lines.push(`Scenes: ${m.scenes.used.length} used (${dates} dates), ${m.scenes.skipped.length} skipped${kinds.size ? `: ${[...kinds].map(([k, n]) => `${n} ${k}`).join('; ')}` : ''}`);
  lines.push(`Bytes: ${formatBytes(m.bytes.fetched)} fetched in ${m.bytes.requests} requests (COG tiles needed ${formatBytes(m.bytes.needed)}, plan estimate ${formatBytes(m.bytes.estimated)})`);
  for (const w of m.warnings) lines.push(`Warning: ${w}`);
  const stages = Object.entries(m.timings_ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ');
  lines.push(`Time: ${(elapsedMs / 1000).toFixed(1)} s (${stages} s)`);
  return lines.join('\n');
}

/** How a failure ends the process: the line to print and the exit status. */
export interface Failure {
  line: string;
  code: ErrorCode;
  exitCode: number;
  /** A flag problem: print the usage after the line. */
  usage: boolean;
}

/**
 * `CODE: message` for any thrown value. Exit status 2 for usage errors (as getopt tools do), 130 for an
 * interrupted run (128 + SIGINT), 1 for everything else.
 */
export function describeFailure(err: unknown): Failure {
  if (isGeoCropError(err)) {
    const usage = err.details?.usage === true;
    return { line: `${err.code}: ${err.message}`, code: err.code, exitCode: usage ? 2 : 1, usage };
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return { line: 'ABORTED: the run was interrupted before it finished; no files were written.', code: 'ABORTED', exitCode: 130, usage: false };
  }
  // Not a known failure: a bug. Keep the stack, the one thing that helps fixing it.
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { line: `INTERNAL: ${text}`, code: 'INTERNAL', exitCode: 1, usage: false };
}
