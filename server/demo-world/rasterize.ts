/**
 * Rasterises parcels onto a pixel grid with sub-pixel sampling, keeping for every pixel the parcel that covers
 * most of it, the runner-up and the runner-up's share: what a 10 m sensor sees at a field edge is a mix.
 *
 * Hand-written because no maintained npm rasteriser gives coverage fractions of many polygons at once (turf has
 * no rasteriser; geotiff.js only reads); an even-odd scanline fill over sub-samples is a few dozen lines.
 */
import { project } from '../../shared/geo/crs';
import type { Parcel } from './landscape';
import type { Grid } from './world-config';

/** Per-pixel parcel indices (into the parcel array; -1 where no parcel) and the mixing weight of `second`. */
export interface ParcelRaster {
  width: number;
  height: number;
  primary: Int32Array;
  second: Int32Array;
  /** Share of the pixel covered by `second`, 0–255 (255 = all). */
  weight: Uint8Array;
}

/**
 * Rasterises `parcels` (rings in `parcelEpsg` metres; later parcels cover earlier ones) onto `grid`, sampling
 * each pixel `ss`×`ss` times.
 */
export function rasterizeParcels(parcels: readonly Parcel[], parcelEpsg: number, grid: Grid, ss = 4): ParcelRaster {
  const { width, height, transform } = grid;
  const sw = width * ss;
  const sh = height * ss;
  const labels = new Int32Array(sw * sh).fill(-1);
  const res = transform[0];
  const x0 = transform[2];
  const y0 = transform[5];
  const xs: number[] = [];

  parcels.forEach((parcel, index) => {
    // Vertices in sub-sample coordinates of this grid.
    const pts = parcel.ring.map((p) => {
      const [x, y] = project(parcelEpsg, grid.epsg, p);
      return [((x - x0) / res) * ss, ((y0 - y) / res) * ss] as const;
    });
    let minR = Infinity, maxR = -Infinity;
    for (const p of pts) { minR = Math.min(minR, p[1]); maxR = Math.max(maxR, p[1]); }
    const r0 = Math.max(0, Math.floor(minR));
    const r1 = Math.min(sh - 1, Math.ceil(maxR));
    for (let r = r0; r <= r1; r++) {
      const yc = r + 0.5;
      xs.length = 0;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const a = pts[i], b = pts[j];
        if ((a[1] > yc) !== (b[1] > yc)) xs.push(a[0] + ((yc - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
      }
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const c0 = Math.max(0, Math.ceil(xs[k] - 0.5));
        const c1 = Math.min(sw - 1, Math.floor(xs[k + 1] - 0.5));
        if (c1 >= c0) labels.fill(index, r * sw + c0, r * sw + c1 + 1);
      }
    }
  });

  const n = width * height;
  const primary = new Int32Array(n);
  const second = new Int32Array(n);
  const weight = new Uint8Array(n);
  const total = ss * ss;
  const ids = new Int32Array(total);
  const counts = new Int32Array(total);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      let distinct = 0;
      for (let sy = 0; sy < ss; sy++) {
        const base = (row * ss + sy) * sw + col * ss;
        for (let sx = 0; sx < ss; sx++) {
          const id = labels[base + sx];
          let k = 0;
          while (k < distinct && ids[k] !== id) k++;
          if (k === distinct) { ids[k] = id; counts[k] = 0; distinct++; }
          counts[k]++;
        }
      }
      let a = 0;
      for (let k = 1; k < distinct; k++) if (counts[k] > counts[a]) a = k;
      let b = -1;
      for (let k = 0; k < distinct; k++) if (k !== a && (b < 0 || counts[k] > counts[b])) b = k;
      const i = row * width + col;
      primary[i] = ids[a];
      if (b >= 0) {
        second[i] = ids[b];
        weight[i] = Math.round((counts[b] / (counts[a] + counts[b])) * 255);
      } else {
        second[i] = ids[a];
        weight[i] = 0;
      }
    }
  }
  return { width, height, primary, second, weight };
}
