/**
 * Turns the season reducers into the feature stack: per-pixel features in catalogue order (feature-major
 * float32), the validity mask, the NDVI series and the optional monthly composites.
 */
import { throwIfAborted } from '../contract/errors';
import { FEATURE_CATALOGUE, MONTH_SUFFIXES } from './catalogue';
import { INDEX_NAMES, SPECTRAL_BANDS } from './indices';
import { NDVI_SERIES_MISSING, NDVI_SERIES_SCALE, seasonMonthIndex } from './observation';
import { closeMonth, type SeasonState } from './season-accumulator';

/** The computed features of one season. Plain data (typed arrays), transferable. */
export interface FeatureStack {
  /** Feature names, in the order of `data`'s planes. */
  names: string[];
  pixels: number;
  /** `names.length` planes of `pixels` float32 values each (feature-major); NaN where `valid` is 0. */
  data: Float32Array;
  /** 1 where the pixel had at least one clear observation. */
  valid: Uint8Array;
  /** Clear observations per pixel. */
  obsCount: Uint16Array;
  /** The NDVI of every date and pixel (dates × pixels, NDVI × 10000, −32768 = none): the pixel inspector's chart. */
  ndviSeries: { dates: string[]; values: Int16Array };
  /** Monthly median true colour, when asked for: per season month, red/green/blue reflectance × 10000 (0 = none). */
  monthly?: { month: string; rgb: Uint16Array }[];
}

/** The plane of feature `name` in a stack (a view, no copy). */
export function featurePlane(stack: FeatureStack, name: string): Float32Array {
  const i = stack.names.indexOf(name);
  if (i < 0) throw new RangeError(`Feature "${name}" is not in the stack`);
  return stack.data.subarray(i * stack.pixels, (i + 1) * stack.pixels);
}

const BLOCK = 2048;


/** Linear-interpolation percentile of sorted values `v[0..len)` (numpy's default method). */
export function percentileSorted(v: ArrayLike<number>, len: number, q: number): number {
  const h = (len - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(len - 1, lo + 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/** Fills months without a value (NaN) linearly from their nearest valid neighbours; flat beyond the ends. */
export function fillGaps(m: Float64Array): void {
  let prev = -1;
  for (let k = 0; k < m.length; k++) {
    if (Number.isNaN(m[k])) continue;
    if (prev < 0) for (let j = 0; j < k; j++) m[j] = m[k];
    else for (let j = prev + 1; j < k; j++) m[j] = m[prev] + ((m[k] - m[prev]) * (j - prev)) / (k - prev);
    prev = k;
  }
  if (prev >= 0) for (let j = prev + 1; j < m.length; j++) m[j] = m[prev];
}

/**
 * Computes every catalogue feature the season's bands allow (catalogue order), from the reducers.
 *
 * @param signal checked between pixel blocks.
 */
export function finishSeason(s: SeasonState, signal?: AbortSignal): FeatureStack {
  const n = s.spec.pixels;
  const nd = s.spec.dates.length;
  const bands = s.spec.bands;
  const names = FEATURE_CATALOGUE.filter((d) => d.group !== 'baseline' && d.group !== 'external' && d.bands.every((b) => bands.includes(b))).map((d) => d.name);
  const data = new Float32Array(names.length * n).fill(Number.NaN);
  // Plane offsets resolved once (−1 = not computed): the per-pixel loop does no name lookups.
  const off = (name: string) => {
    const i = names.indexOf(name);
    return i < 0 ? -1 : i * n;
  };
  const monthOff = MONTH_SUFFIXES.map((m) => off(`ndvi_${m}`));
  const idx = INDEX_NAMES.filter((i) => s.max[i]).map((i) => ({ max: s.max[i]!, sum: s.sum[i]!, peak: off(`${i}_peak`), mean: off(`${i}_mean`) }));
  const atPeak = SPECTRAL_BANDS.filter((b) => s.atPeak[b]).map((b) => ({ src: s.atPeak[b]!, off: off(`${b}_at_peak`) }));
  const O = {
    auc: off('ndvi_auc'), min: off('ndvi_min'), p10: off('ndvi_p10'), p25: off('ndvi_p25'), p50: off('ndvi_p50'), p75: off('ndvi_p75'), p90: off('ndvi_p90'),
    std: off('ndvi_std'), peakDay: off('ndvi_peak_day'), greenup: off('greenup_day'), senescence: off('senescence_day'), length: off('season_length'),
    ndviDry: off('ndvi_dry'), bsiDry: off('bsi_dry'), ndmiDry: off('ndmi_dry'), swirDry: off('swir16_dry'),
  };
  const valid = new Uint8Array(n);
  const months = Int8Array.from(s.spec.dates, (d) => seasonMonthIndex(d));
  const block = new Int16Array(nd * BLOCK);
  const vals = new Int16Array(nd);
  const dayOf = new Int16Array(nd);
  const idxOf = new Int16Array(nd);
  const monthOf = new Int8Array(nd);
  const sorted = new Int16Array(nd);
  const monthly = new Float64Array(9);
  const S = NDVI_SERIES_SCALE;

  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    throwIfAborted(signal);
    const bn = Math.min(BLOCK, n - b0);
    // Gather this block's series date by date (contiguous reads of the date-major series).
    for (let d = 0; d < nd; d++) block.set(s.series.subarray(d * n + b0, d * n + b0 + bn), d * BLOCK);
    for (let q = 0; q < bn; q++) {
      const p = b0 + q;
      const cnt = s.count[p];
      if (cnt === 0) continue;
      valid[p] = 1;
      let len = 0;
      for (let d = 0; d < nd; d++) {
        const v = block[d * BLOCK + q];
        if (v === NDVI_SERIES_MISSING) continue;
        vals[len] = v;
        dayOf[len] = s.days[d];
        idxOf[len] = d;
        monthOf[len] = months[d];
        len++;
      }
      // Monthly medians: dates ascend, so each month is one contiguous run of the pixel's observations.
      monthly.fill(Number.NaN);
      for (let j = 0; j < len;) {
        const k = monthOf[j];
        let e = j;
        while (e < len && monthOf[e] === k) e++;
        if (k >= 0) {
          const m = sortInto(vals, j, e, sorted);
          monthly[k] = percentileSorted(sorted, m, 0.5) / S;
        }
        j = e;
      }
      fillGaps(monthly);
      let auc = 0;
      for (let k = 0; k < 9; k++) {
        if (monthOff[k] >= 0) data[monthOff[k] + p] = monthly[k];
        auc += monthly[k];
      }
      data[O.auc + p] = auc;
      for (const x of idx) {
        if (x.peak >= 0) data[x.peak + p] = x.max[p];
        if (x.mean >= 0) data[x.mean + p] = x.sum[p] / cnt;
      }
      // NDVI distribution, from the quantised series (1e-4 steps).
      sortInto(vals, 0, len, sorted);
      const p10 = percentileSorted(sorted, len, 0.1) / S;
      const p90 = percentileSorted(sorted, len, 0.9) / S;
      data[O.min + p] = sorted[0] / S;
      data[O.p10 + p] = p10;
      data[O.p25 + p] = percentileSorted(sorted, len, 0.25) / S;
      data[O.p50 + p] = percentileSorted(sorted, len, 0.5) / S;
      data[O.p75 + p] = percentileSorted(sorted, len, 0.75) / S;
      data[O.p90 + p] = p90;
      let mean = 0;
      for (let j = 0; j < len; j++) mean += vals[j];
      mean /= len;
      let ss = 0;
      for (let j = 0; j < len; j++) ss += (vals[j] - mean) ** 2;
      data[O.std + p] = Math.sqrt(ss / len) / S;
      // Timing around the peak date.
      const peakIdx = s.peakIndex[p];
      let peakPos = 0;
      while (peakPos < len - 1 && idxOf[peakPos] !== peakIdx) peakPos++;
      const thr = (p10 + 0.5 * (p90 - p10)) * S;
      let greenup = dayOf[0];
      for (let j = peakPos - 1; j >= 0; j--) {
        if (vals[j] < thr) {
          greenup = crossing(dayOf[j], vals[j], dayOf[j + 1], vals[j + 1], thr);
          break;
        }
      }
      let senescence = dayOf[len - 1];
      for (let j = peakPos + 1; j < len; j++) {
        if (vals[j] < thr) {
          senescence = crossing(dayOf[j - 1], vals[j - 1], dayOf[j], vals[j], thr);
          break;
        }
      }
      data[O.peakDay + p] = s.days[peakIdx];
      data[O.greenup + p] = greenup;
      data[O.senescence + p] = senescence;
      data[O.length + p] = senescence - greenup;
      for (const a of atPeak) data[a.off + p] = a.src[p];
      // Dry season (Sep–Oct) means, else the season means.
      const dc = s.dryCount[p];
      data[O.ndviDry + p] = dc ? s.drySum.ndvi![p] / dc : s.sum.ndvi![p] / cnt;
      if (O.bsiDry >= 0) data[O.bsiDry + p] = dc ? s.drySum.bsi![p] / dc : s.sum.bsi![p] / cnt;
      if (O.ndmiDry >= 0) data[O.ndmiDry + p] = dc ? s.drySum.ndmi![p] / dc : s.sum.ndmi![p] / cnt;
      if (O.swirDry >= 0) data[O.swirDry + p] = dc ? s.drySum.swir16![p] / dc : s.swir16Sum![p] / cnt;
    }
  }
  return {
    names, pixels: n, data, valid, obsCount: s.count,
    ndviSeries: { dates: [...s.spec.dates], values: s.series },
    monthly: s.monthly ? monthlyComposites(s, signal) : undefined,
  };
}

/** Insertion-sorts `src[from..to)` into `out[0..)` and returns the count (short runs: faster than a typed-array sort, and no allocation). */
function sortInto(src: Int16Array, from: number, to: number, out: Int16Array): number {
  const m = to - from;
  for (let i = 0; i < m; i++) {
    const v = src[from + i];
    let j = i - 1;
    while (j >= 0 && out[j] > v) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = v;
  }
  return m;
}

/** Day at which the line through (d0, v0)–(d1, v1) reaches `thr`. */
function crossing(d0: number, v0: number, d1: number, v1: number, thr: number): number {
  return v1 === v0 ? d0 : d0 + ((thr - v0) / (v1 - v0)) * (d1 - d0);
}

function monthlyComposites(s: SeasonState, signal?: AbortSignal): { month: string; rgb: Uint16Array }[] {
  const m = s.monthly!;
  return MONTH_SUFFIXES.map((month, k) => {
    throwIfAborted(signal);
    closeMonth(s, k);
    return { month, rgb: m.done[k] ?? new Uint16Array(3 * s.spec.pixels) };
  });
}
