/**
 * `Range: bytes=...` parsing (RFC 9110 §14), kept pure so every edge case is unit-testable without a socket.
 */

/** One byte range, both ends inclusive, already clamped to the representation's size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * What to do with a request's `Range` header:
 * - `none`: answer the whole representation (no header, or a unit other than `bytes`, which RFC 9110 says to ignore);
 * - `ranges`: answer 206 with these ranges, in request order;
 * - `unsatisfiable`: answer 416 (`reason` says why, for the error body).
 */
export type RangeRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'ranges'; readonly ranges: readonly ByteRange[] }
  | { readonly kind: 'unsatisfiable'; readonly reason: string };

/** More ranges than this in one request are refused: many tiny overlapping ranges are a classic amplification trick. */
export const MAX_RANGES = 100;

const FIRST_LAST = /^(\d+)-(\d*)$/;
const SUFFIX = /^-(\d+)$/;

/**
 * Parses a `Range` header against a representation of `size` bytes.
 *
 * Malformed byte ranges (`bytes=5-2`, `bytes=abc`, `bytes=`) are answered as unsatisfiable rather than ignored:
 * a client that sends them has a bug it should hear about, and a silent 200 would make it download a whole COG.
 *
 * @example
 * parseRange('bytes=0-99', 1000)   // { kind: 'ranges', ranges: [{ start: 0, end: 99 }] }
 * parseRange('bytes=-100', 1000)   // last 100 bytes: [{ start: 900, end: 999 }]
 * parseRange('bytes=2000-', 1000)  // { kind: 'unsatisfiable', ... }
 */
export function parseRange(header: string | null | undefined, size: number, maxRanges = MAX_RANGES): RangeRequest {
  if (header === null || header === undefined) return { kind: 'none' };
  const eq = header.indexOf('=');
  if (eq < 0) return { kind: 'unsatisfiable', reason: `Malformed Range header "${header}": expected "bytes=first-last".` };
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'none' };

  const specs = header
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''); // RFC 9110 list syntax allows empty elements
  if (specs.length === 0) return { kind: 'unsatisfiable', reason: 'Malformed Range header: no byte range given.' };
  if (specs.length > maxRanges) return { kind: 'unsatisfiable', reason: `Too many ranges (${specs.length}); at most ${maxRanges} per request.` };

  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const fl = FIRST_LAST.exec(spec);
    if (fl) {
      const first = Number(fl[1]);
      const last = fl[2] === '' ? Infinity : Number(fl[2]);
      if (last < first) return { kind: 'unsatisfiable', reason: `Malformed byte range "${spec}": last byte is before first byte.` };
      if (first < size) ranges.push({ start: first, end: Math.min(last, size - 1) });
      continue;
    }
    const sfx = SUFFIX.exec(spec);
    if (sfx) {
      const n = Number(sfx[1]);
      if (n > 0 && size > 0) ranges.push({ start: Math.max(0, size - n), end: size - 1 });
      continue;
    }
    return { kind: 'unsatisfiable', reason: `Malformed byte range "${spec}": expected "first-last", "first-" or "-suffixLength".` };
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable', reason: `No requested range starts inside the ${size}-byte object.` };
  return { kind: 'ranges', ranges };
}

/** `Content-Range` value for a satisfied range: `bytes 0-99/1000`. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
