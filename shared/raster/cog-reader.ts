/**
 * The read stage's core: open a Cloud Optimized GeoTIFF over HTTP and read the pixels of a bounding box at the
 * right resolution level, fetching only the internal tiles that intersect it. geotiff.js parses the header and
 * fetches the tile bytes (its block source merges neighbouring ranges); tiles of the Sentinel-2 layout are decoded
 * here and copied into the window row by row (tile-decode.ts says why), any other layout by geotiff.js.
 *
 * Integrity is checked rather than trusted: geotiff.js zero-fills tiles that lie past the end of a truncated file
 * and would hand back plausible-looking zeros (= nodata for Sentinel-2), so every needed tile is checked against
 * the file size first; an undecodable tile is reported with the file's name.
 */
import { fromCustomClient, type GeoTIFF } from 'geotiff';
import { abortError, GeoCropError, throwIfAborted } from '../contract/errors';
import type { Affine, BBox } from '../geo/crs';
import { readCogHeader, type CogHeader, type CogLevelTiles, type CogSampleType } from './cog-header';
import { chooseLevel, clipWindow, pixelWindow, tilesCovering, windowTransform, type PixelWindow } from './cog-window';
import { resolveHref } from './href';
import { decodesDirectly, decodeTile, type InflateFn } from './tile-decode';
import { CogHttpClient, isAbortError } from './http-client';
import type { ReaderContext } from './reader-context';
import type { BandArray, Raster } from './types';

/** An open COG: its header, plus the live geotiff.js objects (keep it inside the reading side of a run). */
export interface CogHandle {
  /** The href it was opened from and the URL it is read from. */
  readonly href: string;
  readonly url: string;
  /** File size, bytes (from `Content-Range`). */
  readonly fileSize: number;
  readonly header: CogHeader;
  /** @internal geotiff.js objects */
  readonly tiff: GeoTIFF;
  /** @internal */
  readonly client: CogHttpClient;
  /** @internal the reader context's DEFLATE decoder */
  readonly inflate: InflateFn;
  /** @internal reads in flight, so tile blocks are released only when none needs them */
  active: number;
}

/** What {@link readCogWindow} should read. */
export interface WindowRequest {
  /** `[minX, minY, maxX, maxY]` in the COG's CRS, metres. */
  bbox: BBox;
  /** Wanted pixel size, metres: the coarsest level at least this fine is read. */
  resolution: number;
  /** 0-based sample (band) of the file; default 0. */
  sample?: number;
  /** Nodata when the file has no GDAL_NODATA tag; default 0 (Sentinel-2's nodata DN). */
  defaultNodata?: number;
  /** The STAC item's view of the file (e.g. a `SceneBand`); when given, the file must agree with it. */
  expect?: { epsg?: number; transform?: Affine; shape?: readonly [number, number] };
}

const MAX_WINDOW_PIXELS = 1 << 28;

/**
 * Opens a COG once per reader context: resolves the href, reads the header (every IFD, geo tags and tile tables)
 * and caches the handle by URL, so later windows of the same file fetch only tiles.
 *
 * @throws GeoCropError `INVALID_ITEM` (unreadable href), `NOT_FOUND`, `READ_FAILED` (network, corrupt header),
 *   `UNSUPPORTED_DATA_TYPE`
 * @throws AbortError when `signal` fires
 * @example
 * const ctx = createReaderContext({ fetch, s3Template: 'https://{bucket}.s3.af-south-1.amazonaws.com/{key}' });
 * const cog = await openCog(scene.bands.red.href, ctx, signal);
 * const red = await readCogWindow(cog, { bbox: [300000, 8090000, 302000, 8092000], resolution: 10, expect: scene.bands.red }, signal);
 */
export async function openCog(href: string, ctx: ReaderContext, signal?: AbortSignal): Promise<CogHandle> {
  const url = resolveHref(href, ctx.s3Template, ctx.base);
  // An open started by another caller may be aborted by that caller's signal: then start over with ours.
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    let pending = ctx.handles.get(url);
    if (!pending) {
      const opening = openUncached(href, url, ctx, signal);
      pending = opening;
      ctx.handles.set(url, opening);
      // Failures are not cached: a later call tries again (the failure may have been transient).
      opening.catch(() => ctx.handles.get(url) === opening && ctx.handles.delete(url));
    }
    try {
      return await raceAbort(pending, signal);
    } catch (err) {
      if (!isAbortError(err) || signal?.aborted || attempt >= 2) throw err;
    }
  }
}

async function openUncached(href: string, url: string, ctx: ReaderContext, signal?: AbortSignal): Promise<CogHandle> {
  const client = new CogHttpClient(url, ctx);
  client.fallbackSignal = signal;
  try {
    // cacheSize only has to hold one window's blocks: they are dropped after each read (see releaseTileBlocks).
    const tiff = await fromCustomClient(client, { blockSize: ctx.blockSize, cacheSize: 4096 }, signal);
    const header = await readCogHeader(tiff, url);
    if (client.fileSize === null) throw new GeoCropError('READ_FAILED', `Reading ${url} failed: the server did not report the file size.`, { url });
    return { href, url, fileSize: client.fileSize, header, tiff, client, inflate: ctx.inflate, active: 0 };
  } catch (err) {
    throw readError(err, client, 0, signal, `Cannot read the GeoTIFF header of ${url}`);
  } finally {
    client.fallbackSignal = undefined;
  }
}

/**
 * Reads the pixels of `request.bbox` from the level that fits `request.resolution`.
 *
 * The result covers exactly the snapped window reported in its grid: the level's pixels that intersect the bbox,
 * with pixels outside the image set to nodata. Only the internal tiles that intersect the window are fetched; their
 * compressed sizes are added to `ctx.stats.bytesNeeded`.
 *
 * @returns a single-band raster in the file's CRS and sample type (uint8 → Uint8Array, uint16 → Uint16Array, …)
 * @throws GeoCropError `READ_FAILED` (truncated file, corrupt tile, network, file disagrees with `expect`),
 *   `INVALID_REQUEST` (bad bbox, resolution or sample)
 * @throws AbortError when `signal` fires
 */
export async function readCogWindow(handle: CogHandle, request: WindowRequest, signal?: AbortSignal): Promise<Raster> {
  throwIfAborted(signal);
  const { header, url } = handle;
  const sample = request.sample ?? 0;
  checkRequest(request, sample, header.samples, url);
  const epsg = checkExpected(handle, request.expect);
  const level = chooseLevel(header.levels, request.resolution) as CogLevelTiles;
  const window = pixelWindow(level.transform, request.bbox);
  const width = window.col1 - window.col0;
  const height = window.row1 - window.row0;
  if (width * height > MAX_WINDOW_PIXELS) {
    throw new GeoCropError('INVALID_REQUEST', `The window of ${width} × ${height} pixels is too large to read at once; read a smaller bbox or ask for a coarser resolution.`, { url, width, height });
  }
  const nodata = header.nodata ?? request.defaultNodata ?? 0;
  const grid = { epsg, transform: windowTransform(level.transform, window), width, height };
  const clip = clipWindow(window, level.width, level.height);
  if (!clip) return { grid, data: filledBand(header.sampleType, width * height, nodata), nodata };

  const tiles = neededTiles(handle, level, clip, sample);
  handle.active++;
  const mark = handle.client.failures.length;
  let band: BandArray;
  try {
    // Never pass an undefined signal: geotiff.js only re-fetches blocks dropped mid-read when it has one.
    const blockSignal = signal ?? new AbortController().signal;
    const read = decodesDirectly(level.layout)
      ? readTiles(handle, level, clip, sample, tiles, nodata, blockSignal)
      : level.image.readRasters({ window: [clip.col0, clip.row0, clip.col1, clip.row1], samples: [sample], interleave: false, signal: blockSignal }).then((r) => (r as unknown as BandArray[])[0]);
    band = await raceAbort(read, signal);
  } catch (err) {
    throw readError(err, handle.client, mark, signal, `Tile data of ${url} (image ${level.ifd}, tiles ${tiles.map(([x, y]) => `${x},${y}`).join(' ')}) is corrupt: it could not be decoded`);
  } finally {
    if (--handle.active === 0) releaseTileBlocks(handle.tiff);
  }
  const inside = clip.col0 === window.col0 && clip.row0 === window.row0 && clip.col1 === window.col1 && clip.row1 === window.row1;
  if (inside) return { grid, data: band, nodata };
  const data = filledBand(header.sampleType, width * height, nodata);
  paste(data, width, band, clip, window);
  return { grid, data, nodata };
}

/**
 * The clipped window's pixels from its tiles: one fetch for all of them (so the block source can merge their
 * ranges), each tile decoded and its rows copied into place. A tile of byte count 0 (GDAL's sparse files) is
 * nodata.
 */
async function readTiles(
  handle: CogHandle, level: CogLevelTiles, clip: PixelWindow, sample: number, tiles: Array<[number, number]>, nodata: number, signal: AbortSignal,
): Promise<BandArray> {
  const { tileWidth: tw, tileHeight: th, layout } = level;
  const width = clip.col1 - clip.col0;
  const out = newBand(handle.header.sampleType, width * (clip.row1 - clip.row0));
  const plane = level.planar === 2 ? sample * level.tilesAcross * level.tilesDown : 0;
  const index = tiles.map(([tx, ty]) => plane + ty * level.tilesAcross + tx);
  const stored = index.filter((i) => level.tileByteCounts[i] > 0);
  const bytes = stored.length ? await handle.tiff.source.fetch(stored.map((i) => ({ offset: level.tileOffsets[i], length: level.tileByteCounts[i] })), signal) : [];
  const View = out.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => BandArray;
  tiles.forEach(([tx, ty], k) => {
    const c0 = Math.max(clip.col0, tx * tw), c1 = Math.min(clip.col1, (tx + 1) * tw);
    const r0 = Math.max(clip.row0, ty * th), r1 = Math.min(clip.row1, (ty + 1) * th);
    const at = stored.indexOf(index[k]);
    if (at < 0) {
      for (let r = r0; r < r1; r++) out.fill(nodata, (r - clip.row0) * width + c0 - clip.col0, (r - clip.row0) * width + c1 - clip.col0);
      return;
    }
    // Only the rows the window reads, up to its last column, need the predictor undone.
    const raw = decodeTile(new Uint8Array(bytes[at]), layout, handle.inflate, { row0: r0 - ty * th, row1: r1 - ty * th, col1: c1 - tx * tw });
    const tile = new View(raw.buffer, raw.byteOffset, tw * th);
    for (let r = r0; r < r1; r++) {
      const from = (r - ty * th) * tw - tx * tw;
      out.set(tile.subarray(from + c0, from + c1) as never, (r - clip.row0) * width + c0 - clip.col0);
    }
  });
  return out;
}

/** The tiles a clipped window needs, checked against the file size and counted into `bytesNeeded`. */
function neededTiles(handle: CogHandle, level: CogLevelTiles, clip: PixelWindow, sample: number): Array<[number, number]> {
  const tiles = tilesCovering(clip, level.tileWidth, level.tileHeight);
  const plane = level.planar === 2 ? sample * level.tilesAcross * level.tilesDown : 0;
  let needed = 0;
  for (const [tx, ty] of tiles) {
    const i = plane + ty * level.tilesAcross + tx;
    const offset = level.tileOffsets[i];
    const count = level.tileByteCounts[i];
    if (count > 0 && offset + count > handle.fileSize) {
      throw new GeoCropError(
        'READ_FAILED',
        `${handle.url} is truncated: tile ${tx},${ty} of image ${level.ifd} needs bytes ${offset}-${offset + count - 1}, but the file has only ${handle.fileSize} bytes. The upload or copy was interrupted; the file must be replaced.`,
        { url: handle.url, ifd: level.ifd, tile: [tx, ty], offset, byteCount: count, fileSize: handle.fileSize },
      );
    }
    needed += count;
  }
  handle.client.io.stats.bytesNeeded += needed;
  return tiles;
}

function checkRequest(request: WindowRequest, sample: number, samples: number, url: string): void {
  const [minX, minY, maxX, maxY] = request.bbox;
  if (![minX, minY, maxX, maxY].every(Number.isFinite) || !(minX < maxX && minY < maxY)) {
    throw new GeoCropError('INVALID_REQUEST', `The bbox [${request.bbox.join(', ')}] is not [minX, minY, maxX, maxY] with min < max.`, { bbox: request.bbox });
  }
  if (!(request.resolution > 0) || !Number.isFinite(request.resolution)) {
    throw new GeoCropError('INVALID_REQUEST', `The resolution must be a positive number of metres, got ${request.resolution}.`, { resolution: request.resolution });
  }
  if (!Number.isInteger(sample) || sample < 0 || sample >= samples) {
    throw new GeoCropError('INVALID_REQUEST', `${url} has ${samples} sample(s); sample ${sample} does not exist.`, { url, sample, samples });
  }
}

/** The EPSG code of the read, after checking the file against the STAC item's view of it. */
function checkExpected(handle: CogHandle, expect: WindowRequest['expect']): number {
  const { header, url } = handle;
  const full = header.levels[0];
  const mismatch = (what: string, file: string, item: string) =>
    new GeoCropError('READ_FAILED', `${url} does not match its STAC item: ${what} is ${file} in the file but ${item} in the item. The item's metadata is wrong or stale; choose another scene.`, { url, field: what, file, item });
  if (expect?.epsg !== undefined && header.epsg !== null && expect.epsg !== header.epsg) throw mismatch('the EPSG code', String(header.epsg), String(expect.epsg));
  if (expect?.shape && (expect.shape[0] !== full.height || expect.shape[1] !== full.width)) {
    throw mismatch('the shape [rows, cols]', `[${full.height}, ${full.width}]`, `[${expect.shape.join(', ')}]`);
  }
  if (expect?.transform) {
    const t = full.transform;
    const e = expect.transform;
    // Scales must agree closely; origins to a millimetre-ish fraction of a pixel (items round to a few decimals).
    const same = [0, 1, 3, 4].every((i) => Math.abs(t[i] - e[i]) <= 1e-9 * Math.max(1, Math.abs(t[i]))) && [2, 5].every((i) => Math.abs(t[i] - e[i]) <= 1e-3 * full.resolution);
    if (!same) throw mismatch('the transform', `[${t.join(', ')}]`, `[${e.join(', ')}]`);
  }
  const epsg = header.epsg ?? expect?.epsg;
  if (epsg === undefined) throw new GeoCropError('READ_FAILED', `${url} has no EPSG code in its GeoKeys, and none was given; pass the STAC item's proj:epsg in request.expect.`, { url });
  return epsg;
}

function newBand(type: CogSampleType, n: number): BandArray {
  return type === 'uint8' ? new Uint8Array(n) : type === 'uint16' ? new Uint16Array(n) : type === 'int16' ? new Int16Array(n) : new Float32Array(n);
}

function filledBand(type: CogSampleType, n: number, value: number): BandArray {
  return newBand(type, n).fill(value);
}

/** Copies the clipped read into its place in the (larger or equal) output window, row by row. */
function paste(out: BandArray, outWidth: number, src: BandArray, clip: PixelWindow, window: PixelWindow): void {
  const w = clip.col1 - clip.col0;
  for (let r = 0; r < clip.row1 - clip.row0; r++) {
    const row = src.subarray(r * w, (r + 1) * w);
    out.set(row as never, (clip.row0 - window.row0 + r) * outWidth + (clip.col0 - window.col0));
  }
}

/**
 * geotiff.js's block cache keeps every block fetched (its LRU plus the blocks it evicted during the last fetch)
 * for as long as the GeoTIFF lives. Handles live for the run, and the header's tile tables are already parsed, so
 * once no read is in flight the cached blocks are only dead weight: a run over hundreds of COGs would otherwise
 * hold every tile it ever read.
 */
function releaseTileBlocks(tiff: GeoTIFF): void {
  const source = tiff.source as unknown as { blockCache?: { clear(): void }; evictedBlocks?: { clear(): void } };
  source.blockCache?.clear();
  source.evictedBlocks?.clear();
}

/** The error to report: the abort, else what the HTTP client threw (geotiff.js hides it), else `fallback`. */
function readError(err: unknown, client: CogHttpClient, mark: number, signal: AbortSignal | undefined, fallback: string): Error {
  if (signal?.aborted) return abortError(signal);
  if (err instanceof GeoCropError) return err;
  const fetchFailure = client.failures[mark];
  if (fetchFailure) return fetchFailure;
  if (isAbortError(err)) return err as Error;
  const why = err instanceof Error ? err.message : String(err);
  return new GeoCropError('READ_FAILED', `${fallback} (${why}). The file is damaged; it must be replaced at its source.`, { url: client.url, reason: why });
}

/** `promise`, or the AbortError as soon as `signal` fires (geotiff.js does not watch signals everywhere). */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
