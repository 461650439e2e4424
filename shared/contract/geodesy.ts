/**
 * Small spherical-Earth helpers for the AOI rules. Same sphere as Turf (mean radius 6,371,008.8 m), so a circle
 * built with `@turf/circle` and the numbers here agree. Internal to `shared/contract`.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Mean Earth radius in metres (the one Turf uses). */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Great-circle (haversine) distance between two `[lon, lat]` points in degrees, in metres. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Exact bounding box of a spherical cap (all points within `radiusM` metres of `[lon, lat]`), in degrees:
 * `[minLon, minLat, maxLon, maxLat]`. Latitudes are clamped to ±90; a cap over a pole spans all longitudes.
 */
export function capBBox(lon: number, lat: number, radiusM: number): [number, number, number, number] {
  const d = radiusM / EARTH_RADIUS_M;
  const minLat = Math.max(-90, lat - d / RAD);
  const maxLat = Math.min(90, lat + d / RAD);
  const s = Math.sin(d) / Math.cos(lat * RAD);
  if (!(s < 1)) return [-180, minLat, 180, maxLat];
  const dLon = Math.asin(s) / RAD;
  return [lon - dLon, minLat, lon + dLon, maxLat];
}

/**
 * Shortest distance in metres from `[lon, lat]` to the boundary (every ring) of a polygon, whether the point is
 * inside or outside it. Segments are measured in a local equirectangular plane centred on the point, then the
 * nearest point found is measured again with haversine: within 0.5 % for borders up to ~50 km away, which is
 * what the AOI rule needs (far segments can only be overestimated by a little, never become the nearest).
 */
export function distanceToBoundaryM(lon: number, lat: number, geometry: Polygon | MultiPolygon): number {
  const kx = EARTH_RADIUS_M * Math.cos(lat * RAD) * RAD;
  const ky = EARTH_RADIUS_M * RAD;
  const polygons: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = Infinity;
  let bestLon = lon;
  let bestLat = lat;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1][0] - lon) * kx;
        const ay = (ring[i - 1][1] - lat) * ky;
        const bx = (ring[i][0] - lon) * kx;
        const by = (ring[i][1] - lat) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
        const px = ax + t * dx;
        const py = ay + t * dy;
        const d2 = px * px + py * py;
        if (d2 < best) {
          best = d2;
          bestLon = lon + px / kx;
          bestLat = lat + py / ky;
        }
      }
    }
  }
  return best === Infinity ? Infinity : haversineM(lon, lat, bestLon, bestLat);
}
