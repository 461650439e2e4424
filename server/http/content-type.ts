/**
 * Content types by file extension, shared by the demo "S3" and the static PWA server.
 *
 * A tiny table instead of a mime package: we serve a known, small set of formats, and a COG must carry the
 * GeoTIFF profile parameters so clients (and people reading logs) can tell it from any other TIFF.
 */

/** Content type of a Cloud-Optimized GeoTIFF (OGC 21-026 media type). */
export const COG_CONTENT_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.tif': COG_CONTENT_TYPE,
  '.tiff': COG_CONTENT_TYPE,
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** The `Content-Type` for a file path or key; `application/octet-stream` when the extension is unknown. */
export function contentTypeFor(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return 'application/octet-stream'; // no extension, or a dotfile like ".env"
  return BY_EXTENSION[path.slice(dot).toLowerCase()] ?? 'application/octet-stream';
}
