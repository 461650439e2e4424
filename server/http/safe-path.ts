/**
 * URL path → file path segments, refusing anything that could name a file outside the served folder.
 */

/**
 * Decodes a still percent-encoded relative URL path and splits it into segments. Refuses `..` and `.` segments
 * (also percent-encoded ones, which URL normalisation leaves alone), absolute paths, empty segments, backslashes,
 * NUL and other control characters, and malformed percent-encoding.
 *
 * @example
 * safePathSegments('bucket/a%20b.tif')   // { segments: ['bucket', 'a b.tif'] }
 * safePathSegments('b/..%2f..%2fetc')    // { error: 'Path traversal ("..") is not allowed.' }
 */
export function safePathSegments(encoded: string): { segments: string[] } | { error: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return { error: 'The path has malformed percent-encoding.' };
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { error: 'The path contains NUL or control characters.' };
  if (decoded.includes('\\')) return { error: 'The path contains a backslash.' };
  if (decoded.startsWith('/')) return { error: 'Absolute paths are not allowed.' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { error: 'Path traversal ("..") is not allowed.' };
  if (segments.some((s) => s === '')) return { error: 'The path has an empty segment ("//").' };
  return { segments };
}
