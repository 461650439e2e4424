/**
 * What the mask stage hands the feature stage for one acquisition date: reflectance on the target grid and the
 * pixels that are clear. Plain data, so it can cross `postMessage`.
 */
import type { SpectralBand } from './indices';

/** One date's clear-sky reflectance on the target grid. */
export interface Observation {
  /** Position of the date in the season's date list (the plan's order, ascending). */
  dateIndex: number;
  /** 1 where the pixel is clear, inside the AOI and every band has data; 0 elsewhere. */
  valid: Uint8Array;
  /** Surface reflectance (0–1) per band, one value per target-grid pixel; ignored where `valid` is 0. */
  bands: Readonly<Partial<Record<SpectralBand, Float32Array>>>;
}

/** NDVI is stored in the season series as a scaled int16: value = round(NDVI × 10000). */
export const NDVI_SERIES_SCALE = 10_000;
/** "No observation" in the NDVI series. */
export const NDVI_SERIES_MISSING = -32768;

/** Days from Sep 1 of `year` to `date` (`YYYY-MM-DD`, UTC). */
export function seasonDay(date: string, year: number): number {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round((t - Date.UTC(year, 8, 1)) / 86_400_000);
}

/** Season month index 0..8 (Sep … May) of `date`, or −1 outside the season's months. */
export function seasonMonthIndex(date: string): number {
  const m = Number(date.slice(5, 7));
  const k = m >= 9 ? m - 9 : m + 3;
  return k >= 0 && k <= 8 ? k : -1;
}
