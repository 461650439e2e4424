// Test page for web/src/map/basemap.browser.test.ts: the base layers in an OpenLayers map over Zimbabwe, and
// helpers that read the map's pixels. `?tiles=<XYZ template>` overrides the tile URL.
import Map from 'ol/Map';
import View from 'ol/View';
import { asArray } from 'ol/color';
import { fromLonLat, toLonLat } from 'ol/proj';
import { createBaseLayers } from '../base-layers';
import { BASEMAP_COLOURS, provinceAt } from '../offline-basemap';
import type { TileStatus } from '../tile-status';

/** Sampled pixels counted by the named colour they match (`other` for none, e.g. lines and labels). */
export interface PixelCensus {
  /** Pixels whose location is in a Zimbabwean province. */
  inside: Record<string, number>;
  outside: Record<string, number>;
}

/** What the page exposes as `window.basemapPage`. */
export interface BasemapPage {
  status(): TileStatus;
  /** Every status so far, starting with the initial one. */
  history(): TileStatus[];
  /** Waits for a complete render, then samples every 4th pixel both ways; `colours` adds named CSS colours. */
  census(colours?: Record<string, string>): Promise<PixelCensus>;
  zoomTo(zoom: number): void;
}

declare global {
  interface Window {
    basemapPage: BasemapPage;
  }
}

const base = createBaseLayers({ tileUrl: new URLSearchParams(location.search).get('tiles') ?? undefined });
const map = new Map({ target: 'map', layers: base.layers, controls: [], view: new View({ center: fromLonLat([29.5, -19.0]), zoom: 6 }) });
const history: TileStatus[] = [base.status.get()];
base.status.subscribe((s) => history.push(s));

/** The map's layer canvases drawn into one, as OpenLayers' export-to-PNG example does. */
function composite(): CanvasRenderingContext2D {
  const [width, height] = map.getSize() ?? [0, 0];
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context');
  for (const canvas of map.getViewport()?.querySelectorAll<HTMLCanvasElement>('.ol-layer canvas, canvas.ol-layer') ?? []) {
    if (canvas.width === 0) continue;
    const container = canvas.parentElement;
    ctx.globalAlpha = Number(container?.style.opacity || canvas.style.opacity || 1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    // A layer's `background` is its container's CSS background, not canvas pixels.
    if (container?.style.backgroundColor) {
      ctx.fillStyle = container.style.backgroundColor;
      ctx.fillRect(0, 0, width, height);
    }
    const m = /^matrix\(([^(]*)\)$/.exec(canvas.style.transform)?.[1].split(',').map(Number);
    if (m) ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    ctx.drawImage(canvas, 0, 0);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return ctx;
}

async function census(colours: Record<string, string> = {}): Promise<PixelCensus> {
  await new Promise<void>((resolve) => {
    map.once('rendercomplete', () => resolve());
    map.render();
  });
  const ctx = composite();
  const { width, height, data } = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
  const named = Object.entries({ land: BASEMAP_COLOURS.land, neighbourLand: BASEMAP_COLOURS.neighbourLand, background: BASEMAP_COLOURS.background, ...colours }).map(
    ([name, css]) => [name, asArray(css)] as const,
  );
  const result: PixelCensus = { inside: {}, outside: {} };
  for (let y = 2; y < height; y += 4) {
    for (let x = 2; x < width; x += 4) {
      const i = (y * width + x) * 4;
      const rgba = data.subarray(i, i + 4);
      const name = rgba[3] === 0 ? 'transparent' : (named.find(([, c]) => Math.max(Math.abs(c[0] - rgba[0]), Math.abs(c[1] - rgba[1]), Math.abs(c[2] - rgba[2])) <= 6)?.[0] ?? 'other');
      const [lon, lat] = toLonLat(map.getCoordinateFromPixel([x, y]));
      const side = provinceAt(lon, lat) ? result.inside : result.outside;
      side[name] = (side[name] ?? 0) + 1;
    }
  }
  return result;
}

window.basemapPage = {
  status: () => base.status.get(),
  history: () => [...history],
  census,
  zoomTo: (zoom) => map.getView().setZoom(zoom),
};
document.title = 'basemap ready';
