/**
 * The land-cover classes GeoCrop maps, shared by the demo world's ground truth and the models trained on it.
 * Codes are array indices (what a classifier emits); 255 is nodata in every class raster.
 */

/** Lowercase class identifiers, in code order. */
export const CLASS_NAMES = ['maize', 'tobacco', 'soybean', 'cotton', 'groundnut', 'sorghum', 'woodland', 'grassland', 'bare', 'water'] as const;

export type ClassName = (typeof CLASS_NAMES)[number];

/** Nodata value of uint8 class rasters. */
export const CLASS_NODATA = 255;

/** One class: code (raster value), name, display colour and whether it is cropland. */
export interface ClassInfo {
  code: number;
  name: ClassName;
  label: string;
  colour: string;
  crop: boolean;
}

const LABELS: Record<ClassName, [string, string, boolean]> = {
  maize: ['Maize', '#f2c12e', true],
  tobacco: ['Tobacco', '#b5651d', true],
  soybean: ['Soybean', '#8fbc3f', true],
  cotton: ['Cotton', '#f7f2e8', true],
  groundnut: ['Groundnut', '#d98c5f', true],
  sorghum: ['Sorghum', '#a83c32', true],
  woodland: ['Woodland', '#1f6b36', false],
  grassland: ['Grassland', '#b8d98a', false],
  bare: ['Bare / built', '#9e9e9e', false],
  water: ['Water', '#2b7bd6', false],
};

/** The classes with their codes and colours (the content of the demo world's `classes.json`). */
export const CLASSES: readonly ClassInfo[] = CLASS_NAMES.map((name, code) => {
  const [label, colour, crop] = LABELS[name];
  return { code, name, label, colour, crop };
});

/** Code of a class name. */
export function classCode(name: ClassName): number {
  return CLASS_NAMES.indexOf(name);
}

/** `#rrggbb` → `[r, g, b]` (0–255), the form colour maps take. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`"${hex}" is not a #rrggbb colour`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
