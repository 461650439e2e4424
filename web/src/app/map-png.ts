/**
 * "Download PNG": the map as drawn (every layer canvas OpenLayers rendered, with its opacity and CSS transform —
 * OpenLayers' own export recipe) with a legend box and a caption drawn on top.
 */
import type OlMap from 'ol/Map';
import type { ClassArea } from './display-result';

/** Renders the map and legend into a PNG blob. */
export async function mapPng(map: OlMap, legend: { title: string; caption: string; rows: ClassArea[] }): Promise<Blob> {
  const size = map.getSize();
  const viewport = map.getViewport();
  if (!size || !viewport) throw new Error('The map is not on the page yet');
  await new Promise<void>((resolve) => {
    map.once('rendercomplete', () => resolve());
    map.renderSync();
  });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(size[0] * ratio);
  canvas.height = Math.round(size[1] * ratio);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const layerCanvas of viewport.querySelectorAll<HTMLCanvasElement>('.ol-layer canvas, canvas.ol-layer')) {
    if (layerCanvas.width === 0) continue;
    const parent = layerCanvas.parentElement as HTMLElement | null;
    const opacity = layerCanvas.style.opacity || parent?.style.opacity;
    ctx.globalAlpha = opacity === '' || opacity === undefined ? 1 : Number(opacity);
    const m = /^matrix\(([^)]*)\)$/.exec(layerCanvas.style.transform)?.[1].split(',').map(Number);
    ctx.setTransform(...((m ?? [1, 0, 0, 1, 0, 0]) as [number, number, number, number, number, number]));
    ctx.drawImage(layerCanvas, 0, 0);
  }
  ctx.globalAlpha = 1;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  drawLegend(ctx, legend);
  return new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('Could not encode the PNG'))), 'image/png'));
}

function drawLegend(ctx: CanvasRenderingContext2D, legend: { title: string; caption: string; rows: ClassArea[] }): void {
  const rows = legend.rows.filter((r) => r.pixels > 0);
  const line = 20;
  const width = 250;
  const height = 16 + line * (rows.length + 2);
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(10, 10, width, height);
  ctx.strokeStyle = '#555';
  ctx.strokeRect(10, 10, width, height);
  ctx.fillStyle = '#111';
  ctx.font = 'bold 14px system-ui, sans-serif';
  ctx.fillText(legend.title, 20, 32);
  ctx.font = '12px system-ui, sans-serif';
  rows.forEach((r, i) => {
    const y = 32 + line * (i + 1);
    ctx.fillStyle = r.colour;
    ctx.fillRect(20, y - 11, 14, 14);
    ctx.strokeStyle = '#333';
    ctx.strokeRect(20, y - 11, 14, 14);
    ctx.fillStyle = '#111';
    ctx.fillText(r.name, 42, y);
    ctx.textAlign = 'right';
    ctx.fillText(`${r.hectares.toFixed(1)} ha`, width, y);
    ctx.textAlign = 'left';
  });
  ctx.fillStyle = '#333';
  ctx.fillText(legend.caption, 20, 32 + line * (rows.length + 1));
}
