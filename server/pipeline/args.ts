/**
 * The command line of `npm run classify`: flags → {@link ClassifyArgs} → a validated job request. Kept apart from
 * the entry point so every rule is testable without spawning a process.
 */
import { GeoCropError } from '../../shared/contract/errors';
import { parseJobRequest, type JobRequest, type SmoothingKernel } from '../../shared/contract/job';

/** Output resolutions the pipeline supports, metres. */
export const RESOLUTIONS = [10, 20, 40, 80] as const;

/** Parsed flags. Numbers are only checked for being numbers here; the job contract checks their ranges. */
export interface ClassifyArgs {
  /** AOI centre, degrees east / north. */
  lon: number;
  lat: number;
  /** AOI radius, metres. */
  radius: number;
  /** Season start year (2022 = Sep 2022 → May 2023). */
  year: number;
  model?: string;
  /** Majority-filter kernel, pixels. */
  kernel?: number;
  /** Output pixel size, metres. */
  resolution: (typeof RESOLUTIONS)[number];
  /** STAC API root; absent = the demo world, in-process. */
  stac?: string;
  s3Template?: string;
  out?: string;
  monthly: boolean;
  /** Models folder (index.json + bundles). */
  models?: string;
  /** Demo world folder (absent: the configured one). */
  demoDir?: string;
  jobId?: string;
  help: boolean;
}

type Kind = 'number' | 'string' | 'boolean';
interface FlagSpec {
  key: keyof ClassifyArgs;
  kind: Kind;
  value?: string;
  help: string;
  required?: boolean;
}

const FLAGS: Record<string, FlagSpec> = {
  lon: { key: 'lon', kind: 'number', value: 'DEG', help: 'AOI centre longitude, degrees east (e.g. 30.05)', required: true },
  lat: { key: 'lat', kind: 'number', value: 'DEG', help: 'AOI centre latitude, degrees north (e.g. -17.80)', required: true },
  radius: { key: 'radius', kind: 'number', value: 'M', help: 'AOI radius, metres (the server limit applies, GEOCROP_MAX_RADIUS_M)', required: true },
  year: { key: 'year', kind: 'number', value: 'YEAR', help: 'season start year: 2022 = Sep 2022 → May 2023', required: true },
  model: { key: 'model', kind: 'string', value: 'ID', help: 'model bundle id (default croptype-demo)' },
  kernel: { key: 'kernel', kind: 'number', value: 'PX', help: 'majority-filter kernel: 3, 5 or 7 (default 5)' },
  resolution: { key: 'resolution', kind: 'number', value: 'M', help: 'output pixel size: 10, 20, 40 or 80 m (default 10)' },
  stac: { key: 'stac', kind: 'string', value: 'URL', help: 'STAC API root (default: the demo world, in-process)' },
  's3-template': { key: 's3Template', kind: 'string', value: 'TPL', help: 's3:// → URL template (default: the demo server of --stac, else GEOCROP_S3_HTTPS_TEMPLATE)' },
  out: { key: 'out', kind: 'string', value: 'DIR', help: 'output folder (default ./out/<job_id>)' },
  monthly: { key: 'monthly', kind: 'boolean', help: 'also write monthly composites' },
  models: { key: 'models', kind: 'string', value: 'DIR', help: 'models folder with index.json (default models/)' },
  'demo-dir': { key: 'demoDir', kind: 'string', value: 'DIR', help: 'demo world folder to serve (default GEOCROP_DEMO_DIR)' },
  'job-id': { key: 'jobId', kind: 'string', value: 'ID', help: 'job id (default: a random UUID)' },
  help: { key: 'help', kind: 'boolean', help: 'print this help' },
};

/** The usage text (`--help`, and after a usage error). */
export const USAGE = [
  'Usage: npm run classify -- --lon DEG --lat DEG --radius M --year YEAR [options]',
  '',
  ...Object.entries(FLAGS).map(([name, f]) => `  --${`${name}${f.value ? ` ${f.value}` : ''}`.padEnd(20)} ${f.help}${f.required ? ' (required)' : ''}`),
  '',
  'Example: npm run classify -- --lon 30.05 --lat -17.80 --radius 2000 --year 2022',
].join('\n');

function usageError(message: string, flag?: string): GeoCropError {
  return new GeoCropError('INVALID_REQUEST', message, { usage: true, ...(flag ? { flag } : {}) });
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function suggestion(name: string): string {
  const known = Object.keys(FLAGS);
  // A prefix (--rad) or a known flag plus a unit suffix (--radius-m) is the likeliest intent.
  const near = known.find((k) => k.startsWith(name) || name.startsWith(k)) ?? known.map((k) => [k, distance(name, k)] as const).sort((a, b) => a[1] - b[1]).find(([, d]) => d <= 3)?.[0];
  return near ? ` (did you mean --${near}?)` : '';
}

/**
 * Parses `argv` (without `node` and the script). Accepts `--flag value` and `--flag=value`; a value may start
 * with `-` (`--lat -17.8`).
 *
 * @throws GeoCropError `INVALID_REQUEST` (with `details.usage`) naming the unknown, repeated, value-less or
 *   non-numeric flag, or the missing required one.
 * @example
 * parseClassifyArgs(['--lon', '30.05', '--lat', '-17.8', '--radius', '2000', '--year', '2022']);
 */
export function parseClassifyArgs(argv: readonly string[]): ClassifyArgs {
  const out: Partial<Record<keyof ClassifyArgs, unknown>> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '-h') {
      out.help = true;
      continue;
    }
    if (!token.startsWith('--') || token === '--') {
      throw usageError(`Unexpected argument "${token}": every option is a --flag followed by its value (e.g. --radius 2000).`);
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (!spec) throw usageError(`Unknown flag --${name}${suggestion(name)}.`, `--${name}`);
    if (out[spec.key] !== undefined) throw usageError(`Flag --${name} is given twice: give it once.`, `--${name}`);
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw usageError(`Flag --${name} takes no value: write just --${name}.`, `--${name}`);
      out[spec.key] = true;
      continue;
    }
    const raw = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (raw === undefined || raw === '') throw usageError(`Flag --${name} needs a value: --${name} ${spec.value}.`, `--${name}`);
    if (spec.kind === 'number') {
      const v = Number(raw);
      if (!Number.isFinite(v) || raw.trim() === '') throw usageError(`Flag --${name} needs a number (${spec.help}), got "${raw}".`, `--${name}`);
      out[spec.key] = v;
    } else {
      out[spec.key] = raw;
    }
  }
  const args = { monthly: false, help: false, ...out } as ClassifyArgs;
  if (args.help) return { ...args, resolution: args.resolution ?? 10 };
  const missing = Object.entries(FLAGS).filter(([, f]) => f.required && out[f.key] === undefined).map(([n]) => `--${n}`);
  if (missing.length) throw usageError(`Missing ${missing.join(', ')}: the area (centre and radius) and the season year are required.`, missing[0]);
  const resolution = (out.resolution as number | undefined) ?? 10;
  if (!(RESOLUTIONS as readonly number[]).includes(resolution)) {
    throw usageError(`Flag --resolution must be one of ${RESOLUTIONS.join(', ')} (metres), got ${resolution}.`, '--resolution');
  }
  return { ...args, resolution: resolution as ClassifyArgs['resolution'] };
}

/**
 * The job request the flags describe, checked by the job contract (AOI inside Zimbabwe, radius within the
 * server's limit rather than the browser's, year, kernel).
 *
 * @throws GeoCropError from `parseJobRequest` (`AOI_*`, `YEAR_*`, `INVALID_KERNEL`…), naming what to change.
 */
export function buildRequest(args: ClassifyArgs, limits: { maxRadiusM: number; now?: Date }): JobRequest {
  return parseJobRequest({
    ...(args.jobId !== undefined ? { job_id: args.jobId } : {}),
    aoi: { lon: args.lon, lat: args.lat, radius_m: args.radius },
    year: args.year,
    ...(args.model !== undefined ? { model: args.model } : {}),
    ...(args.kernel !== undefined ? { smoothing_kernel: args.kernel as SmoothingKernel } : {}),
    outputs: { monthly: args.monthly },
  }, { maxRadiusM: limits.maxRadiusM, now: limits.now });
}
