/**
 * The demo world's land cover: a complete partition of the region (plus a margin) into parcels, each with a
 * class and its own parameters. Built the way Zimbabwe's landscape looks from orbit: large commercial farms with
 * 4–20 ha fields, communal smallholder areas with 0.5–3 ha irregular plots and homesteads, miombo woodland on the
 * hills, grassland and fallow between, and a couple of dams.
 *
 * Parcels come from recursive binary space partitioning with slanted cuts. Every piece of a convex polygon cut
 * by a line is convex, so splitting stays exact and the pieces tile the region without gaps or overlaps; dams are
 * drawn over the partition afterwards.
 */
import type { ClassName } from '../../shared/contract/classes';
import type { BBox } from '../../shared/geo/crs';
import { fbm } from './noise';
import { Rng, hashString } from './random';

export type Ring = Array<[number, number]>;

/** Per-parcel draws that make each field its own (within-class variation). */
export interface ParcelParams {
  /** Planting / green-up shift, days. */
  sowShift: number;
  /** Senescence shift, days. */
  endShift: number;
  /** Peak greenness multiplier. */
  vigour: number;
  /** Soil brightness multiplier. */
  soil: number;
  /** Day (since Sep 1) a grassland parcel burnt, or -1. */
  burnDay: number;
}

export interface Parcel {
  id: number;
  cls: ClassName;
  /** `commercial` and `smallholder` parcels are fields; the rest are natural cover. */
  kind: 'commercial' | 'smallholder' | 'natural' | 'settlement' | 'dam';
  /** Outer ring in world CRS metres, not closed (first vertex not repeated). */
  ring: Ring;
  areaHa: number;
  params: ParcelParams;
}

/** Signed area of a ring (m²; positive when counter-clockwise). */
export function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a / 2;
}

function centroid(ring: Ring): [number, number] {
  let x = 0, y = 0;
  for (const p of ring) { x += p[0]; y += p[1]; }
  return [x / ring.length, y / ring.length];
}

/** Splits a convex ring by the line through `p` with direction `d`; returns both sides (either may be empty). */
function splitConvex(ring: Ring, p: [number, number], d: [number, number]): [Ring, Ring] {
  const left: Ring = [];
  const right: Ring = [];
  const side = (q: [number, number]) => d[0] * (q[1] - p[1]) - d[1] * (q[0] - p[0]);
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const sa = side(a);
    const sb = side(b);
    if (sa >= 0) left.push(a);
    if (sa <= 0) right.push(a);
    if ((sa > 0 && sb < 0) || (sa < 0 && sb > 0)) {
      const t = sa / (sa - sb);
      const q: [number, number] = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
      left.push(q);
      right.push(q);
    }
  }
  return [left, right];
}

/** Principal direction of a convex ring: the direction of its longest edge pair, as a unit vector. */
function longAxis(ring: Ring): [number, number] {
  let best = 0;
  let dir: [number, number] = [1, 0];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    if (len > best) { best = len; dir = [dx / len, dy / len]; }
  }
  return dir;
}

/** Extent of a ring along a unit direction. */
function extentAlong(ring: Ring, d: [number, number]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const p of ring) {
    const s = p[0] * d[0] + p[1] * d[1];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return [lo, hi];
}

/**
 * Recursively cuts `ring` across its long axis until pieces are below `maxHa`, never producing a piece below
 * `minHa`. `jitterDeg` slants the cuts (small for surveyed farms, large for irregular communal plots).
 */
function partition(ring: Ring, rng: Rng, maxHa: number, minHa: number, jitterDeg: number, out: Ring[]): void {
  const area = Math.abs(ringArea(ring)) / 10_000;
  if (area <= maxHa * rng.range(0.55, 1)) { out.push(ring); return; }
  const axis = longAxis(ring);
  // Cut perpendicular to the longest side, slanted by a random angle.
  const ang = Math.atan2(axis[1], axis[0]) + Math.PI / 2 + (rng.range(-jitterDeg, jitterDeg) * Math.PI) / 180;
  const dir: [number, number] = [Math.cos(ang), Math.sin(ang)];
  const [lo, hi] = extentAlong(ring, axis);
  for (let attempt = 0; attempt < 6; attempt++) {
    const s = lo + (hi - lo) * rng.range(0.32, 0.68);
    const c = centroid(ring);
    const along = c[0] * axis[0] + c[1] * axis[1];
    const p: [number, number] = [c[0] + (s - along) * axis[0], c[1] + (s - along) * axis[1]];
    const [a, b] = splitConvex(ring, p, dir);
    if (a.length < 3 || b.length < 3) continue;
    const aa = Math.abs(ringArea(a)) / 10_000;
    const ab = Math.abs(ringArea(b)) / 10_000;
    if (aa < minHa || ab < minHa) continue;
    partition(a, rng, maxHa, minHa, jitterDeg, out);
    partition(b, rng, maxHa, minHa, jitterDeg, out);
    return;
  }
  out.push(ring);
}

const COMMERCIAL_CROPS: Record<string, number> = { maize: 30, tobacco: 20, soybean: 18, cotton: 7, groundnut: 8, sorghum: 7, grassland: 10 };
const SMALLHOLDER_CROPS: Record<string, number> = { maize: 42, groundnut: 16, sorghum: 12, cotton: 10, soybean: 5, tobacco: 5, grassland: 7, bare: 3 };

function params(rng: Rng, cls: ClassName): ParcelParams {
  return {
    sowShift: Math.max(-14, Math.min(14, rng.normal(0, 6))),
    endShift: Math.max(-14, Math.min(14, rng.normal(0, 6))),
    vigour: Math.max(0.8, Math.min(1.15, rng.normal(1, 0.06))),
    soil: rng.range(0.85, 1.15),
    burnDay: cls === 'grassland' && rng.next() < 0.2 ? rng.int(0, 55) : -1,
  };
}

/** A star-shaped irregular blob (a dam) of roughly `radius` metres around (x, y). */
function blob(rng: Rng, x: number, y: number, radius: number): Ring {
  const n = 28;
  const phase = rng.range(0, Math.PI * 2);
  const k1 = rng.range(0.15, 0.35), k2 = rng.range(0.05, 0.2);
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    const r = radius * (1 + k1 * Math.sin(2 * a + phase) + k2 * Math.sin(5 * a + 2 * phase)) * rng.range(0.93, 1.07);
    ring.push([x + r * Math.cos(a), y + r * Math.sin(a) * 0.7]);
  }
  return ring;
}

/**
 * Generates the land cover of the region (`extent` in world CRS metres, including margin). Parcels are returned in
 * drawing order: later parcels (dams) cover earlier ones where they overlap.
 */
export function generateLandscape(seed: number, extent: BBox): Parcel[] {
  const rng = new Rng(hashString(`landscape:${seed}`));
  const zoneSeed = hashString(`zones:${seed}`);
  const root: Ring = [[extent[0], extent[1]], [extent[2], extent[1]], [extent[2], extent[3]], [extent[0], extent[3]]];
  const blocks: Ring[] = [];
  partition(root, rng, 110, 40, 14, blocks);

  const parcels: Parcel[] = [];
  const add = (ring: Ring, cls: ClassName, kind: Parcel['kind']) => {
    const areaHa = Math.abs(ringArea(ring)) / 10_000;
    parcels.push({ id: parcels.length + 1, cls, kind, ring, areaHa, params: params(rng, cls) });
  };

  for (const block of blocks) {
    const [bx, by] = centroid(block);
    const u = fbm(bx, by, 5000, zoneSeed, 3);
    if (u > 0.6) {
      const pieces: Ring[] = [];
      partition(block, rng, 60, 15, 30, pieces);
      for (const p of pieces) add(p, rng.next() < 0.85 ? 'woodland' : 'grassland', 'natural');
    } else if (u > 0.52) {
      const pieces: Ring[] = [];
      partition(block, rng, 25, 6, 30, pieces);
      for (const p of pieces) add(p, rng.next() < 0.7 ? 'grassland' : 'woodland', 'natural');
    } else if (rng.next() < 0.05) {
      // A township or business centre: roofs, yards and roads, with some grass between.
      const lots: Ring[] = [];
      partition(block, rng, 4, 1, 20, lots);
      for (const f of lots) {
        const cls: ClassName = rng.next() < 0.75 ? 'bare' : 'grassland';
        add(f, cls, cls === 'bare' ? 'settlement' : 'natural');
      }
    } else if (u > 0.36) {
      const fields: Ring[] = [];
      partition(block, rng, 20, 4, 6, fields);
      for (const f of fields) add(f, rng.pick(COMMERCIAL_CROPS) as ClassName, 'commercial');
    } else {
      const plots: Ring[] = [];
      partition(block, rng, 3, 0.5, 35, plots);
      for (const f of plots) {
        // Homesteads cluster: a plot near a block's centre is more often a settlement.
        const cls = rng.pick(SMALLHOLDER_CROPS) as ClassName;
        add(f, cls, cls === 'bare' ? 'settlement' : 'smallholder');
      }
    }
  }

  // Dams in natural or grazing land, away from the region edge.
  const w = extent[2] - extent[0];
  const h = extent[3] - extent[1];
  const dams = rng.int(1, 2);
  for (let i = 0; i < dams; i++) {
    const x = extent[0] + w * rng.range(0.2, 0.8);
    const y = extent[1] + h * rng.range(0.2, 0.8);
    add(blob(rng, x, y, rng.range(180, 380)), 'water', 'dam');
  }
  return parcels;
}
