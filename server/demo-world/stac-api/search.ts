/**
 * Runs a validated search over the catalog index: collection and time narrow a pre-sorted list by binary
 * search, then ids, bbox / intersects (bbox prefilter, then @turf `booleanIntersects`) and the CQL2 filter.
 * Results keep the index order (datetime, then id), so pages are stable and disjoint.
 */
import { bboxPolygon, booleanIntersects, bbox as turfBbox } from '@turf/turf';
import type { Geometry } from 'geojson';
import { compileCql2 } from './cql2-filter';
import { lowerBound, upperBound, type CatalogIndex, type IndexedItem } from './catalog-index';
import type { SearchRequest } from './search-request';

/** All matches of a search, in order (the caller slices the page). */
export function runSearch(index: CatalogIndex, req: SearchRequest): IndexedItem[] {
  // Validate the filter before touching items, so an unknown property is a 400 even on an empty catalog.
  const keep = req.filter === null ? null : compileCql2(req.filter, new Set(index.queryables.keys()));

  let pool: readonly IndexedItem[];
  let collectionSet: Set<string> | null = null;
  if (req.collections === null) pool = index.all;
  else if (req.collections.length === 1) pool = index.byCollection.get(req.collections[0]) ?? [];
  else {
    // Unknown collections simply match nothing, as on Explorer (it filters on `name IN (...)`).
    collectionSet = new Set(req.collections);
    pool = index.all;
  }

  let lo = 0;
  let hi = pool.length;
  if (req.datetime) {
    if (req.datetime.start !== null) lo = lowerBound(pool, req.datetime.start);
    if (req.datetime.end !== null) hi = upperBound(pool, req.datetime.end);
  }

  const ids = req.ids === null ? null : new Set(req.ids);
  let area: Geometry | null = null;
  let areaBox: readonly number[] | null = null;
  if (req.bbox) {
    areaBox = req.bbox;
    area = bboxPolygon(req.bbox).geometry;
  } else if (req.intersects) {
    area = req.intersects;
    areaBox = turfBbox(req.intersects);
  }

  const out: IndexedItem[] = [];
  for (let i = lo; i < hi; i++) {
    const it = pool[i];
    if (collectionSet && !collectionSet.has(it.collection)) continue;
    if (ids && !ids.has(it.id)) continue;
    if (area && areaBox) {
      const b = it.bbox;
      if (!b || !it.geometry) continue;
      if (b[0] > areaBox[2] || b[2] < areaBox[0] || b[1] > areaBox[3] || b[3] < areaBox[1]) continue;
      if (!booleanIntersects(it.geometry, area)) continue;
    }
    if (keep && !keep(it)) continue;
    out.push(it);
  }
  return out;
}
