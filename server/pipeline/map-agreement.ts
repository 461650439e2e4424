/**
 * How far a coarse class map agrees with a finer one of the same area: each coarse pixel against the fine pixel at
 * its centre, over pixels classified in both. Used to judge previews (`npm run bench`, the pipeline tests).
 */
import { CLASS_NODATA } from '../../shared/contract/classes';
import type { RunResult } from '../../shared/pipeline/types';

/** Pixels compared and the share that carry the same class. */
export interface MapAgreement {
  compared: number;
  agreement: number;
}

/** Compares `coarse.layers.refined` with `fine.layers.refined` (both north-up grids in the same CRS). */
export function mapAgreement(coarse: Pick<RunResult, 'grid' | 'layers'>, fine: Pick<RunResult, 'grid' | 'layers'>): MapAgreement {
  const g = coarse.grid, f = fine.grid;
  const [gs, fs] = [g.transform[0], f.transform[0]];
  let same = 0, n = 0;
  for (let r = 0; r < g.height; r++) {
    for (let c = 0; c < g.width; c++) {
      const v = coarse.layers.refined[r * g.width + c];
      if (v === CLASS_NODATA) continue;
      const x = g.transform[2] + (c + 0.5) * gs, y = g.transform[5] - (r + 0.5) * gs;
      const fc = Math.floor((x - f.transform[2]) / fs), fr = Math.floor((f.transform[5] - y) / fs);
      if (fc < 0 || fr < 0 || fc >= f.width || fr >= f.height) continue;
      const w = fine.layers.refined[fr * f.width + fc];
      if (w === CLASS_NODATA) continue;
      n++;
      if (w === v) same++;
    }
  }
  return { compared: n, agreement: n ? same / n : 0 };
}
