/**
 * Streaming per-pixel reducers over a season. Each date's reflectance is folded in and dropped, so memory is a
 * few arrays per pixel plus one int16 NDVI per pixel and date (the series the percentiles, green-up timing and
 * the PWA's pixel chart need) — never a time × band × pixel cube.
 *
 * Determinism: observations must be added in ascending `dateIndex` (the orchestrator enforces it), so float sums
 * are formed in the same order on every platform and the Worker and Node runs agree bit for bit.
 */
import { GeoCropError } from '../contract/errors';
import { INDEX_DEFS, INDEX_NAMES, SPECTRAL_BANDS, bsi, evi, msavi2, ndmi, ndre, ndvi, ndwi, savi, type IndexName, type SpectralBand } from './indices';
import { NDVI_SERIES_MISSING, NDVI_SERIES_SCALE, seasonDay, seasonMonthIndex, type Observation } from './observation';

/** What the accumulator is built for. */
export interface SeasonSpec {
  /** Season start year (Sep 1 of `year` → May 31 of `year + 1`). */
  year: number;
  /** Acquisition dates `YYYY-MM-DD`, ascending; `Observation.dateIndex` points into it. */
  dates: readonly string[];
  /** Pixels of the target grid. */
  pixels: number;
  /** Bands the observations carry; indices whose bands are missing are not computed. */
  bands: readonly SpectralBand[];
  /** Also keep monthly median true-colour composites (red, green, blue). Default false. */
  monthly?: boolean;
}

/** Running state, read by season-finish.ts. Plain typed arrays. */
export interface SeasonState {
  spec: SeasonSpec;
  days: Int16Array;
  /** Indices computable from `spec.bands`. */
  indices: IndexName[];
  count: Uint16Array;
  max: Partial<Record<IndexName, Float32Array>>;
  sum: Partial<Record<IndexName, Float64Array>>;
  /** dateIndex of the NDVI maximum (−1 = none). */
  peakIndex: Int16Array;
  atPeak: Partial<Record<SpectralBand, Float32Array>>;
  dryCount: Uint16Array;
  drySum: Partial<Record<'ndvi' | 'bsi' | 'ndmi' | 'swir16', Float64Array>>;
  swir16Sum?: Float64Array;
  /** dates × pixels, NDVI × 10000, {@link NDVI_SERIES_MISSING} where no observation. */
  series: Int16Array;
  /**
   * Per season month: reflectance × 10000 of red, green, blue per observation slot (0 = none) while the month is
   * open, and its median composite (`done`) once a later month starts — so at most one month's slots are held.
   */
  monthly?: { slots: number[]; used: number[]; rgb: (Uint16Array | null)[]; done: (Uint16Array | null)[] };
  lastDateIndex: number;
}

const has = (bands: readonly SpectralBand[], need: readonly SpectralBand[]) => need.every((b) => bands.includes(b));

/** Creates the reducers for one season. */
export function createSeasonState(spec: SeasonSpec): SeasonState {
  const n = spec.pixels;
  if (!has(spec.bands, INDEX_DEFS.ndvi.bands)) {
    throw new GeoCropError('INVALID_REQUEST', 'The feature stack needs at least the red and nir bands (NDVI).');
  }
  if (spec.dates.length > 32767) throw new RangeError('Too many dates in one season');
  const indices = INDEX_NAMES.filter((i) => has(spec.bands, INDEX_DEFS[i].bands));
  const max: SeasonState['max'] = {};
  const sum: SeasonState['sum'] = {};
  for (const i of indices) {
    max[i] = new Float32Array(n).fill(-Infinity);
    sum[i] = new Float64Array(n);
  }
  const atPeak: SeasonState['atPeak'] = {};
  for (const b of SPECTRAL_BANDS) if (spec.bands.includes(b)) atPeak[b] = new Float32Array(n).fill(Number.NaN);
  const drySum: SeasonState['drySum'] = {};
  for (const k of ['ndvi', 'bsi', 'ndmi'] as const) if (indices.includes(k)) drySum[k] = new Float64Array(n);
  if (spec.bands.includes('swir16')) drySum.swir16 = new Float64Array(n);
  const days = Int16Array.from(spec.dates, (d) => seasonDay(d, spec.year));
  let monthly: SeasonState['monthly'];
  if (spec.monthly && has(spec.bands, ['red', 'green', 'blue'])) {
    const slots = new Array<number>(9).fill(0);
    for (const d of spec.dates) {
      const k = seasonMonthIndex(d);
      if (k >= 0) slots[k]++;
    }
    monthly = { slots, used: new Array<number>(9).fill(0), rgb: new Array(9).fill(null), done: new Array(9).fill(null) };
  }
  return {
    spec, days, indices, count: new Uint16Array(n), max, sum, peakIndex: new Int16Array(n).fill(-1), atPeak,
    dryCount: new Uint16Array(n), drySum, swir16Sum: spec.bands.includes('swir16') ? new Float64Array(n) : undefined,
    series: new Int16Array(spec.dates.length * n).fill(NDVI_SERIES_MISSING), monthly, lastDateIndex: -1,
  };
}

/**
 * Folds one date into the reducers. Dates must arrive in ascending `dateIndex` (each at most once).
 *
 * The work runs index by index over the date's valid pixels (one tight, monomorphic loop per index) rather than
 * pixel by pixel over every index: each reducer of a pixel sees exactly the same operations in the same order as
 * before, so the results are bit for bit those of a per-pixel loop, at a fraction of the cost.
 *
 * @throws RangeError when a date arrives out of order or an array has the wrong length.
 */
export function addObservation(s: SeasonState, obs: Observation): void {
  const n = s.spec.pixels;
  const di = obs.dateIndex;
  if (!(di > s.lastDateIndex && di < s.spec.dates.length)) {
    throw new RangeError(`Observation ${di} out of order (last ${s.lastDateIndex}, ${s.spec.dates.length} dates)`);
  }
  s.lastDateIndex = di;
  if (obs.valid.length !== n) throw new RangeError(`valid has ${obs.valid.length} pixels, expected ${n}`);
  const B = {} as Record<SpectralBand, Float32Array>;
  for (const b of s.spec.bands) {
    const a = obs.bands[b];
    if (!a || a.length !== n) throw new RangeError(`Observation ${di} lacks band ${b} (or it has the wrong length)`);
    B[b] = a;
  }
  const month = seasonMonthIndex(s.spec.dates[di]);
  const dry = month === 0 || month === 1;
  const pixels = validPixels(obs.valid);
  const m = pixels.length;
  const values = new Float64Array(m);

  // NDVI first: the peak test compares with the maximum of the earlier dates, before this date's update.
  indexValues('ndvi', B, pixels, values);
  const { count, peakIndex, dryCount } = s;
  const ndviMax = s.max.ndvi!;
  const series = s.series.subarray(di * n, (di + 1) * n);
  const peakFrom = s.spec.bands.map((b) => B[b]);
  const peakTo = s.spec.bands.map((b) => s.atPeak[b]!);
  for (let k = 0; k < m; k++) {
    const p = pixels[k];
    count[p]++;
    // Ties keep the earlier date: dates arrive in order and the comparison is strict.
    if (values[k] > ndviMax[p]) {
      peakIndex[p] = di;
      for (let b = 0; b < peakFrom.length; b++) peakTo[b][p] = peakFrom[b][p];
    }
    series[p] = Math.round(values[k] * NDVI_SERIES_SCALE);
  }
  for (const name of s.indices) {
    if (name !== 'ndvi') indexValues(name, B, pixels, values);
    fold(pixels, values, s.sum[name]!, s.max[name]!);
    const drySum = dry ? s.drySum[name as 'ndvi' | 'bsi' | 'ndmi'] : undefined;
    if (drySum) addTo(pixels, values, drySum);
  }
  if (s.swir16Sum) addBand(pixels, B.swir16, s.swir16Sum);
  if (dry) {
    for (let k = 0; k < m; k++) dryCount[pixels[k]]++;
    if (s.drySum.swir16) addBand(pixels, B.swir16, s.drySum.swir16);
  }
  if (s.monthly && month >= 0) {
    const mo = s.monthly;
    for (let k = 0; k < month; k++) closeMonth(s, k);
    if (!mo.rgb[month]) mo.rgb[month] = new Uint16Array(3 * mo.slots[month] * n);
    const base = mo.used[month]++ * 3 * n;
    const rgb = mo.rgb[month]!;
    for (let k = 0; k < m; k++) {
      const p = pixels[k];
      rgb[base + p] = toU16(B.red[p]);
      rgb[base + n + p] = toU16(B.green[p]);
      rgb[base + 2 * n + p] = toU16(B.blue[p]);
    }
  }
}

/** Positions of the non-zero entries of `valid`, ascending. */
function validPixels(valid: Uint8Array): Int32Array {
  let m = 0;
  for (let p = 0; p < valid.length; p++) if (valid[p]) m++;
  const out = new Int32Array(m);
  for (let p = 0, k = 0; k < m; p++) if (valid[p]) out[k++] = p;
  return out;
}

/** Index `name` at each of `pixels` into `out` (one loop per index, so each loop body is a single formula). */
function indexValues(name: IndexName, B: Record<SpectralBand, Float32Array>, pixels: Int32Array, out: Float64Array): void {
  const m = pixels.length;
  const { red, nir, blue, green, nir08, rededge1, swir16 } = B;
  switch (name) {
    case 'ndvi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = ndvi(nir[p], red[p]); } break;
    case 'evi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = evi(nir[p], red[p], blue[p]); } break;
    case 'savi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = savi(nir[p], red[p]); } break;
    case 'msavi2': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = msavi2(nir[p], red[p]); } break;
    case 'ndre': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = ndre(nir08[p], rededge1[p]); } break;
    case 'ndmi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = ndmi(nir08[p], swir16[p]); } break;
    case 'ndwi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = ndwi(green[p], nir[p]); } break;
    case 'bsi': for (let k = 0; k < m; k++) { const p = pixels[k]; out[k] = bsi(swir16[p], red[p], nir[p], blue[p]); } break;
  }
}

function fold(pixels: Int32Array, values: Float64Array, sum: Float64Array, max: Float32Array): void {
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    const v = values[k];
    sum[p] += v;
    if (v > max[p]) max[p] = v;
  }
}

function addTo(pixels: Int32Array, values: Float64Array, sum: Float64Array): void {
  for (let k = 0; k < pixels.length; k++) sum[pixels[k]] += values[k];
}

function addBand(pixels: Int32Array, band: Float32Array, sum: Float64Array): void {
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    sum[p] += band[p];
  }
}

/** Reflectance → uint16 × 10000 for the monthly buffers; 0 is reserved for "no observation". */
function toU16(r: number): number {
  const v = Math.round(r * 10_000);
  return v < 1 ? 1 : v > 65535 ? 65535 : v;
}

/** Median composite of season month `k` (red, green, blue × 10000; 0 = none); frees the month's slots. Idempotent. */
export function closeMonth(s: SeasonState, k: number): void {
  const m = s.monthly;
  if (!m || m.done[k]) return;
  const n = s.spec.pixels;
  const rgb = new Uint16Array(3 * n);
  const buf = m.rgb[k];
  const slots = m.used[k];
  if (buf) {
    const tmp = new Uint16Array(Math.max(1, slots));
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < n; p++) {
        let len = 0;
        for (let sl = 0; sl < slots; sl++) {
          const v = buf[sl * 3 * n + c * n + p];
          if (v) tmp[len++] = v;
        }
        if (len === 0) continue;
        const sv = tmp.subarray(0, len).sort();
        rgb[c * n + p] = len % 2 ? sv[len >> 1] : Math.round((sv[(len >> 1) - 1] + sv[len >> 1]) / 2);
      }
    }
  }
  m.rgb[k] = null;
  m.done[k] = rgb;
}
