/**
 * The job request: what the owner's API, the PWA and the CLI send to start a mapping job (seed plan §2.2), its
 * defaults, and {@link parseJobRequest}, which validates the schema and the AOI and year rules in one call.
 */
import { z } from 'zod';
import { BROWSER_MAX_RADIUS_M, validateAoi, type Aoi } from './aoi';
import { requestError, type FieldGuide } from './request-issues';
import { SEASONS, validateYear, type Season } from './season';

/** Index outputs a job can ask for (per-pixel seasonal peak of each index). */
export const INDEX_OUTPUTS = ['ndvi_peak', 'evi_peak', 'savi_peak'] as const;
/** One index output name. */
export type IndexOutput = (typeof INDEX_OUTPUTS)[number];
/** Allowed majority-filter kernel sizes, pixels (odd, square). */
export const SMOOTHING_KERNELS = [3, 5, 7] as const;
/** A majority-filter kernel size, pixels. */
export type SmoothingKernel = (typeof SMOOTHING_KERNELS)[number];
/** The model used when a request names none. */
export const DEFAULT_MODEL = 'croptype-demo';

/** Which outputs to produce. */
export interface JobOutputs {
  /** The refined (smoothed) crop-type map. Default true. */
  refined: boolean;
  /**
   * The baseline map clipped to the AOI. Default true. Legacy alias: requests may send `dw_baseline` (the owner's
   * older payload, when the baseline was Dynamic World); it is read as `baseline` and never appears in the output.
   */
  baseline: boolean;
  /** A true-colour composite. Default true. */
  true_color: boolean;
  /** Index peak rasters, without duplicates. Default `['ndvi_peak', 'evi_peak', 'savi_peak']`. */
  indices: IndexOutput[];
  /** Monthly composites (Sep…May). Default false. */
  monthly: boolean;
}

/** A validated job request with every default applied. */
export interface JobRequest {
  /** Job id: 1–128 letters, digits, `-` or `_`. Default: a random UUID. */
  job_id: string;
  /** Who asked, if known. */
  user_id?: string;
  /** Where: centre in degrees (lon first) and radius in metres, already checked against Zimbabwe. */
  aoi: Aoi;
  /** The season's start year: `2022` means Sep 2022 → May 2023. */
  year: number;
  /** Default `summer`. */
  season: Season;
  /** Model bundle id. Default {@link DEFAULT_MODEL}. */
  model: string;
  /** Majority-filter kernel, pixels. Default 5. */
  smoothing_kernel: SmoothingKernel;
  outputs: JobOutputs;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A random UUID v4; uses `crypto.randomUUID` where present (secure contexts, Node ≥ 19), else `getRandomValues`. */
function newJobId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const aoiSchema = z.strictObject({ lon: z.number(), lat: z.number(), radius_m: z.number() });

const outputsObject = z.strictObject({
  refined: z.boolean().default(true),
  baseline: z.boolean().optional(),
  dw_baseline: z.boolean().optional(),
  true_color: z.boolean().default(true),
  indices: z.array(z.enum(INDEX_OUTPUTS)).default(() => [...INDEX_OUTPUTS]),
  monthly: z.boolean().default(false),
});

const outputsSchema = outputsObject
  .superRefine((o, ctx) => {
    if (o.baseline !== undefined && o.dw_baseline !== undefined && o.baseline !== o.dw_baseline) {
      ctx.addIssue({
        code: 'custom',
        path: ['dw_baseline'],
        message: `Fields "outputs.baseline" (${o.baseline}) and its legacy alias "outputs.dw_baseline" (${o.dw_baseline}) disagree; send only "outputs.baseline".`,
      });
    }
  })
  .transform((o): JobOutputs => ({
    refined: o.refined,
    baseline: o.baseline ?? o.dw_baseline ?? true,
    true_color: o.true_color,
    indices: [...new Set(o.indices)],
    monthly: o.monthly,
  }))
  .prefault({});

/**
 * The zod schema of the job request (types and defaults only; {@link parseJobRequest} adds the AOI and year
 * rules and turns zod issues into `GeoCropError`s). Unknown fields are rejected at every level.
 */
export const jobRequestSchema = z.strictObject({
  job_id: z.string().regex(ID_PATTERN).default(newJobId),
  user_id: z.string().min(1).max(200).optional(),
  aoi: aoiSchema,
  year: z.number().int(),
  season: z.enum(SEASONS).default('summer'),
  model: z.string().regex(MODEL_PATTERN).default(DEFAULT_MODEL),
  smoothing_kernel: z.literal(SMOOTHING_KERNELS).default(5),
  outputs: outputsSchema,
});

/** What a client may send: the request before defaults (all optional fields may be omitted). */
export type JobRequestInput = z.input<typeof jobRequestSchema>;

// The schema's output must stay the documented JobRequest.
const _sameShape: (o: z.output<typeof jobRequestSchema>) => JobRequest = (o) => o;

const GUIDE: FieldGuide = {
  expected: {
    '': 'a JSON object such as {"aoi": {"lon": 30.05, "lat": -17.8, "radius_m": 2000}, "year": 2022}',
    job_id: 'a string of 1–128 letters, digits, "-" or "_" (e.g. a UUID), or omitted',
    user_id: 'a non-empty string of at most 200 characters, or omitted',
    aoi: 'an object {"lon", "lat", "radius_m"}',
    'aoi.lon': 'a number: longitude in degrees east, e.g. 30.05 (lon comes before lat)',
    'aoi.lat': 'a number: latitude in degrees north, e.g. -17.8 (negative in Zimbabwe)',
    'aoi.radius_m': 'a number: the radius in metres, e.g. 2000',
    year: 'a whole number: the year the season starts, e.g. 2022 for Sep 2022 → May 2023',
    season: '"summer" (Sep 1 → May 31)',
    model: 'a model id of letters, digits, ".", "-" or "_", e.g. "croptype-demo"',
    smoothing_kernel: '3, 5 or 7 (pixels)',
    outputs: 'an object of output switches, e.g. {"refined": true, "indices": ["ndvi_peak"]}',
    'outputs.refined': 'true or false',
    'outputs.baseline': 'true or false',
    'outputs.dw_baseline': 'true or false (legacy alias of "outputs.baseline")',
    'outputs.true_color': 'true or false',
    'outputs.monthly': 'true or false',
    'outputs.indices': `a list drawn from ${INDEX_OUTPUTS.map((s) => `"${s}"`).join(', ')}`,
    'outputs.indices.*': `one of ${INDEX_OUTPUTS.map((s) => `"${s}"`).join(', ')}`,
  },
  known: {
    '': Object.keys(jobRequestSchema.shape),
    aoi: Object.keys(aoiSchema.shape),
    outputs: Object.keys(outputsObject.shape).filter((k) => k !== 'dw_baseline'),
  },
  aliases: {
    '': { lon: 'aoi.lon', lat: 'aoi.lat', radius_m: 'aoi.radius_m', radius_km: 'aoi.radius_m', radius: 'aoi.radius_m', model_name: 'model', kernel: 'smoothing_kernel' },
    aoi: { lng: 'lon', long: 'lon', longitude: 'lon', x: 'lon', latitude: 'lat', y: 'lat', r: 'radius_m', radius: 'radius_m', radius_km: 'radius_m' },
    outputs: { truecolor: 'true_color', rgb: 'true_color' },
  },
  codes: { season: 'UNSUPPORTED_SEASON', smoothing_kernel: 'INVALID_KERNEL' },
};

/** Options for {@link parseJobRequest}. */
export interface ParseJobOptions {
  /** The current instant, for the year rule (inject in tests). Default: now. */
  now?: Date;
  /** Largest AOI radius, metres. Default {@link BROWSER_MAX_RADIUS_M}; the server passes its configured limit. */
  maxRadiusM?: number;
}

/**
 * Validates a job request (schema, AOI rules, year rules) and returns it with defaults applied.
 *
 * @param input the parsed JSON payload.
 * @throws GeoCropError `UNKNOWN_FIELD` (naming each unknown field by path, with a suggestion), `INVALID_REQUEST`,
 *   `UNSUPPORTED_SEASON`, `INVALID_KERNEL`, a `YEAR_*` code or an `AOI_*` code; the message says what to change.
 * @example
 * const req = parseJobRequest({ aoi: { lon: 30.05, lat: -17.8, radius_m: 2000 }, year: 2022 });
 * req.outputs.indices; // ['ndvi_peak', 'evi_peak', 'savi_peak']
 */
export function parseJobRequest(input: unknown, opts: ParseJobOptions = {}): JobRequest {
  const result = jobRequestSchema.safeParse(input);
  if (!result.success) throw requestError(result.error.issues, input, GUIDE);
  const req: JobRequest = result.data;
  validateYear(req.year, opts.now ?? new Date());
  const aoi = validateAoi(req.aoi, { maxRadiusM: opts.maxRadiusM ?? BROWSER_MAX_RADIUS_M });
  return { ...req, aoi: { ...aoi } };
}
