/**
 * Continuous colour ramps for the index and confidence layers, shared by the renderer and the legend so the key
 * always matches the pixels.
 */

/** A ramp: value stops (ascending) with their colours. */
export interface Ramp {
  /** What the values are, for the legend. */
  label: string;
  stops: readonly { value: number; rgb: readonly [number, number, number] }[];
}

/** Vegetation indices: bare soil browns through to dense green canopy (NDVI-like scale). */
export const INDEX_RAMP: Ramp = {
  label: 'index value',
  stops: [
    { value: -0.1, rgb: [140, 90, 50] },
    { value: 0.2, rgb: [215, 190, 130] },
    { value: 0.4, rgb: [190, 215, 110] },
    { value: 0.6, rgb: [90, 170, 70] },
    { value: 0.85, rgb: [20, 90, 35] },
  ],
};

/** Model confidence (max class probability): low in purple, high in yellow (perceptually ordered, viridis stops). */
export const CONFIDENCE_RAMP: Ramp = {
  label: 'confidence',
  stops: [
    { value: 0, rgb: [68, 1, 84] },
    { value: 0.25, rgb: [59, 82, 139] },
    { value: 0.5, rgb: [33, 145, 140] },
    { value: 0.75, rgb: [94, 201, 98] },
    { value: 1, rgb: [253, 231, 37] },
  ],
};

/** Colour of `value` on `ramp` (clamped at the ends, linear between stops). NaN → undefined. */
export function rampColour(ramp: Ramp, value: number): [number, number, number] | undefined {
  if (Number.isNaN(value)) return undefined;
  const s = ramp.stops;
  if (value <= s[0].value) return [...s[0].rgb];
  for (let i = 1; i < s.length; i++) {
    if (value <= s[i].value) {
      const t = (value - s[i - 1].value) / (s[i].value - s[i - 1].value);
      const a = s[i - 1].rgb;
      const b = s[i].rgb;
      return [Math.round(a[0] + t * (b[0] - a[0])), Math.round(a[1] + t * (b[1] - a[1])), Math.round(a[2] + t * (b[2] - a[2]))];
    }
  }
  return [...s[s.length - 1].rgb];
}

/** The ramp as a CSS `linear-gradient` (left = first stop), for legends. */
export function rampGradient(ramp: Ramp): string {
  const s = ramp.stops;
  const span = s[s.length - 1].value - s[0].value;
  const parts = s.map((st) => `rgb(${st.rgb.join(' ')}) ${(((st.value - s[0].value) / span) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
