/**
 * TIFF predictors, encode side. Both run in place on one tile (or into a scratch buffer) with no allocation,
 * because they touch every sample of every tile of every file the demo world writes.
 */

/**
 * Predictor 2 (horizontal differencing), in place: each sample becomes its difference from the same sample of
 * the pixel to its left, per row. Works on the integer typed array so 16-bit differences wrap modulo 2¹⁶
 * exactly as decoders (libtiff, geotiff.js) undo them; Int16Array wraps identically to Uint16Array bit-wise.
 * @param tile `width * height * samples` samples, pixel-interleaved
 * @param width tile width in pixels
 * @param height tile height in pixels
 * @param samples samples per pixel (the differencing stride)
 */
export function horizontalDifference(tile: Uint8Array | Uint16Array | Int16Array, width: number, height: number, samples: number): void {
  const rowLength = width * samples;
  for (let row = 0; row < height; row++) {
    const start = row * rowLength;
    // Right to left, so each subtraction still sees the original left neighbour.
    for (let i = start + rowLength - 1; i >= start + samples; i--) tile[i] -= tile[i - samples];
  }
}

/**
 * Predictor 3 (floating-point), as libtiff's `fpDiff`: per row, the bytes of the samples are regrouped into
 * planes, most significant byte first, and then byte-differenced with a stride of `samples`. Exponent and high
 * mantissa bytes of neighbouring values agree, so the planes compress far better than raw floats.
 * @param src little-endian sample bytes of the tile (`width * height * samples * bytesPerSample`)
 * @param dst output bytes, same length as `src` (must not alias it)
 * @param bytesPerSample 4 for float32
 */
export function floatingPointDifference(
  src: Uint8Array, dst: Uint8Array, width: number, height: number, samples: number, bytesPerSample: number,
): void {
  const wc = width * samples; // samples per row
  const rowBytes = wc * bytesPerSample;
  for (let row = 0; row < height; row++) {
    const base = row * rowBytes;
    for (let b = 0; b < bytesPerSample; b++) {
      // Plane b holds byte (bytesPerSample - 1 - b) of each little-endian sample: MSB plane first.
      const plane = base + b * wc;
      let s = base + (bytesPerSample - 1 - b);
      for (let i = 0; i < wc; i++, s += bytesPerSample) dst[plane + i] = src[s];
    }
    // Uint8Array stores wrap modulo 256, which is exactly the byte arithmetic decoders undo.
    for (let i = base + rowBytes - 1; i >= base + samples; i--) dst[i] -= dst[i - samples];
  }
}

/** Reverses the byte order of each `bytesPerSample` group in place (only used on big-endian hosts). */
export function swapBytes(bytes: Uint8Array, bytesPerSample: number): void {
  if (bytesPerSample === 1) return;
  for (let i = 0; i + bytesPerSample <= bytes.length; i += bytesPerSample) {
    for (let lo = i, hi = i + bytesPerSample - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo];
      bytes[lo] = bytes[hi];
      bytes[hi] = t;
    }
  }
}
