/**
 * The `fetch_stac` stage: every Sentinel-2 L2A scene over an AOI in one season, as {@link ParsedScene}s.
 * Collection 1 (`s2_l2a_c1`) is preferred; the legacy `s2_l2a` fills in only for (tile, day) pairs that have no
 * Collection 1 scene, so each acquisition is counted once and harmonised data wins.
 */
import { booleanIntersects } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { aoiBBox, aoiPolygon, type Aoi } from '../contract/aoi';
import { abortError, GeoCropError, isGeoCropError } from '../contract/errors';
import { seasonMonths, seasonWindow } from '../contract/season';
import type { FetchFn } from '../net/fetch-retry';
import { parseSceneItem } from './parse-item';
import { searchItems, type StacSearchOptions, type StacSearchResult } from './search';
import type { ParsedScene } from './types';

/** Collections searched by default, most preferred first. */
export const DEFAULT_SEASON_COLLECTIONS: readonly string[] = Object.freeze(['s2_l2a_c1', 's2_l2a']);
/** Default largest scene cloud cover, percent: Zimbabwe's rainy months are cloudy, and masks work per pixel. */
export const DEFAULT_MAX_CLOUD_COVER = 80;

/** What {@link searchSeasonScenes} looks for. */
export interface SeasonSceneQuery {
  /** The STAC API root, e.g. `https://explorer.digitalearth.africa/stac`. */
  stacUrl: string;
  /** Centre (degrees) and radius (metres); not re-validated here (`validateAoi` is the request contract's job). */
  aoi: Aoi;
  /** Season year: Sep 1 of `year` 00:00Z to May 31 of `year + 1` 23:59:59Z. */
  year: number;
  /** Largest scene `eo:cloud_cover`, percent (0–100). Default {@link DEFAULT_MAX_CLOUD_COVER}; 100 = no filter. */
  maxCloudCover?: number;
  /** Collections, most preferred first. Default {@link DEFAULT_SEASON_COLLECTIONS}. */
  collections?: readonly string[];
}

/** Options of {@link searchSeasonScenes}: those of `searchItems`, plus the page size. */
export interface SeasonSearchOptions extends StacSearchOptions {
  /** Items per page, 1..1000. Default 500. */
  pageSize?: number;
}

/** An item that could not be used, and why (the parser's message, naming the field). */
export interface SkippedItem {
  id: string;
  collection: string;
  reason: string;
}

/** Where the items went; every returned item is in exactly one of the last six counts. */
export interface SeasonSceneCounts {
  /** Pages read and HTTP requests made (retries included), all collections. */
  pages: number;
  requests: number;
  /** Items returned per collection (duplicates included). */
  returned: Record<string, number>;
  /** Items seen before (same collection and id): a page boundary shifted while paging. */
  duplicates: number;
  /** Items the parser rejected (listed in `skipped`). */
  invalid: number;
  /** Items whose footprint touches the search box but not the AOI circle. */
  outsideAoi: number;
  /** Items over the cloud limit although the server was asked to filter them. */
  overCloudLimit: number;
  /** Items dropped because a more preferred collection has the same tile and day. */
  replaced: number;
  /** Scenes kept. */
  scenes: number;
}

/** The scenes of one season over one AOI. */
export interface SeasonScenes {
  /** Sorted by datetime, then tile, then id; frozen. */
  scenes: ParsedScene[];
  skipped: SkippedItem[];
  counts: SeasonSceneCounts;
}

/** `Sep 2022 – May 2023`. */
export function seasonLabel(year: number): string {
  const months = seasonMonths(year);
  return `${months[0].label} – ${months[months.length - 1].label}`;
}

/** The Item Search `datetime` of season `year`: `2022-09-01T00:00:00Z/2023-05-31T23:59:59Z`. */
export function seasonDatetime(year: number): string {
  const w = seasonWindow(year);
  return `${w.start}T00:00:00Z/${w.end}T23:59:59Z`;
}

const round = (v: number, decimals: number) => String(Math.round(v * 10 ** decimals) / 10 ** decimals);
const describeAoi = (aoi: Aoi) => `lon ${round(aoi.lon, 5)}, lat ${round(aoi.lat, 5)}, radius ${round(aoi.radius_m, 1)} m`;

/** Runs the searches in parallel; the first failure stops the others. */
async function searchAll(
  fetchFn: FetchFn,
  collections: readonly string[],
  base: { stacUrl: string; bbox: [number, number, number, number]; datetime: string; maxCloudCover: number; limit?: number },
  opts: StacSearchOptions,
  signal?: AbortSignal,
): Promise<StacSearchResult[]> {
  const inner = new AbortController();
  const onAbort = () => inner.abort(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  let failure: unknown;
  try {
    const runs = collections.map((collection) =>
      searchItems(fetchFn, { ...base, collections: [collection] }, opts, inner.signal).catch((err: unknown) => {
        failure ??= err;
        inner.abort();
        throw err;
      }),
    );
    const settled = await Promise.allSettled(runs);
    if (failure !== undefined) throw signal?.aborted ? abortError(signal) : failure;
    return settled.map((s) => (s as PromiseFulfilledResult<StacSearchResult>).value);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Searches every collection for the season and AOI, parses the items, and keeps one scene per (tile, day):
 * the most preferred collection's. Invalid items are skipped and listed; items whose footprint misses the AOI
 * circle, or whose cloud cover exceeds the limit (should the server ignore the filter), are dropped and counted.
 *
 * @throws GeoCropError `NO_SCENES` when nothing is left (the message names the AOI, season, STAC URL and cloud
 *   limit, and what to try); `INVALID_ITEM` when items came back but none could be parsed; any error of
 *   `searchItems` (`STAC_UNAVAILABLE`, `STAC_BAD_PARAMETER`, `STAC_NOT_FOUND`).
 * @throws AbortError when `signal` fires.
 * @example
 * const { scenes, skipped } = await searchSeasonScenes(fetch, {
 *   stacUrl: 'https://explorer.digitalearth.africa/stac', aoi: { lon: 30.05, lat: -17.8, radius_m: 2000 }, year: 2022,
 * }, { onPage: (p) => log(`${p.collection}: page ${p.page}`) }, signal);
 */
export async function searchSeasonScenes(fetchFn: FetchFn, query: SeasonSceneQuery, opts: SeasonSearchOptions = {}, signal?: AbortSignal): Promise<SeasonScenes> {
  const { stacUrl, aoi, year } = query;
  const maxCloudCover = query.maxCloudCover ?? DEFAULT_MAX_CLOUD_COVER;
  const collections = query.collections ?? DEFAULT_SEASON_COLLECTIONS;
  const { pageSize, ...searchOpts } = opts;
  const datetime = seasonDatetime(year);
  const results = await searchAll(fetchFn, collections, { stacUrl, bbox: aoiBBox(aoi), datetime, maxCloudCover, limit: pageSize }, searchOpts, signal);

  const circle = aoiPolygon(aoi);
  const counts: SeasonSceneCounts = {
    pages: 0, requests: 0, returned: {}, duplicates: 0, invalid: 0, outsideAoi: 0, overCloudLimit: 0, replaced: 0, scenes: 0,
  };
  const skipped: SkippedItem[] = [];
  let parsed = 0;
  // Most preferred collection first, so a (tile, day) is claimed by the best collection that has it.
  const claimedBy = new Map<string, string>();
  const scenes: ParsedScene[] = [];
  collections.forEach((collection, i) => {
    const { features, pages, requests } = results[i];
    counts.pages += pages;
    counts.requests += requests;
    counts.returned[collection] = features.length;
    const ids = new Set<string>();
    const kept: ParsedScene[] = [];
    for (const feature of features) {
      const rawId = feature && typeof feature === 'object' ? (feature as { id?: unknown }).id : undefined;
      const id = typeof rawId === 'string' && rawId !== '' ? rawId : '(no id)';
      if (id !== '(no id)' && ids.has(id)) {
        counts.duplicates++;
        continue;
      }
      ids.add(id);
      let scene: ParsedScene;
      try {
        scene = parseSceneItem(feature);
      } catch (err) {
        if (!isGeoCropError(err, 'INVALID_ITEM')) throw err;
        skipped.push({ id, collection, reason: err.message });
        continue;
      }
      parsed++;
      if (!booleanIntersects(scene.geometry as Polygon | MultiPolygon, circle)) counts.outsideAoi++;
      else if (scene.cloudCover !== null && scene.cloudCover > maxCloudCover) counts.overCloudLimit++;
      else kept.push(scene);
    }
    const claimedHere = new Set<string>();
    for (const scene of kept) {
      const key = `${scene.tile}/${scene.date}`;
      const owner = claimedBy.get(key);
      if (owner !== undefined && owner !== collection) {
        counts.replaced++;
        continue;
      }
      claimedHere.add(key);
      scenes.push(scene);
    }
    for (const key of claimedHere) claimedBy.set(key, collection);
  });
  counts.invalid = skipped.length;
  counts.scenes = scenes.length;
  scenes.sort((a, b) => (a.datetime < b.datetime ? -1 : a.datetime > b.datetime ? 1 : a.tile.localeCompare(b.tile) || a.id.localeCompare(b.id)));

  if (scenes.length === 0) {
    const details = { aoi: { ...aoi }, year, datetime, stacUrl, maxCloudCover, collections: [...collections], counts, skipped };
    const returned = Object.values(counts.returned).reduce((a, b) => a + b, 0);
    if (parsed === 0 && skipped.length > 0) {
      throw new GeoCropError(
        'INVALID_ITEM',
        `None of the ${returned} STAC items ${stacUrl} returned for the AOI (${describeAoi(aoi)}) in the ${seasonLabel(year)} season could be used; ` +
          `the first: ${skipped[0].reason}. Check that the STAC URL serves DE Africa Sentinel-2 L2A items (${collections.join(', ')}).`,
        details,
      );
    }
    throw new GeoCropError('NO_SCENES', noScenesMessage(query, maxCloudCover, collections, counts), details);
  }
  return { scenes, skipped, counts };
}

function noScenesMessage(query: SeasonSceneQuery, maxCloudCover: number, collections: readonly string[], counts: SeasonSceneCounts): string {
  const cloud = maxCloudCover < 100 ? `with cloud cover ≤ ${round(maxCloudCover, 2)} %` : 'at any cloud cover';
  const found: string[] = [];
  if (counts.outsideAoi > 0) found.push(`${counts.outsideAoi} item(s) touched the search box but their footprints miss the AOI circle`);
  if (counts.overCloudLimit > 0) found.push(`${counts.overCloudLimit} item(s) were over the cloud limit`);
  if (counts.invalid > 0) found.push(`${counts.invalid} item(s) could not be read`);
  const tries = [
    ...(maxCloudCover < 100 ? [`raise the cloud-cover limit (now ${round(maxCloudCover, 2)} %; the rainy months Nov–Mar are very cloudy)`] : []),
    'choose another season year',
    `check that ${query.stacUrl} is a STAC API with Sentinel-2 L2A over this area (such as https://explorer.digitalearth.africa/stac)`,
  ];
  return (
    `No Sentinel-2 scenes found for the AOI (${describeAoi(query.aoi)}) in the ${seasonLabel(query.year)} season ${cloud} ` +
    `in ${collections.join(', ')} at ${query.stacUrl}${found.length ? ` (${found.join('; ')})` : ''}. Try: ${tries.join('; or ')}.`
  );
}
