/**
 * GDAL's private TIFF tags: GDAL_METADATA (42112, an XML document of items) and GDAL_NODATA (42113, ASCII).
 */
import type { CogBandMetadata } from './types';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]);
}

/** Keys sorted by code unit, so two equal records give the same bytes whatever their insertion order. */
function sortedEntries(items: Record<string, string> | undefined): Array<[string, string]> {
  if (!items) return [];
  return Object.keys(items).sort().map((k) => [k, items[k]]);
}

/**
 * The GDAL_METADATA XML document, or `undefined` when there is nothing to write. Band items carry
 * `sample="<0-based band index>"`; description, scale and offset use GDAL's roles so gdalinfo shows them as
 * band description / Offset / Scale rather than plain items.
 */
export function gdalMetadataXml(
  metadata: Record<string, string> | undefined,
  bandMetadata: ReadonlyArray<CogBandMetadata | undefined> | undefined,
): string | undefined {
  const lines: string[] = [];
  for (const [k, v] of sortedEntries(metadata)) lines.push(`  <Item name="${esc(k)}">${esc(v)}</Item>`);
  (bandMetadata ?? []).forEach((band, i) => {
    if (!band) return;
    for (const [k, v] of sortedEntries(band.items)) lines.push(`  <Item name="${esc(k)}" sample="${i}">${esc(v)}</Item>`);
    if (band.offset !== undefined) lines.push(`  <Item name="OFFSET" sample="${i}" role="offset">${formatNumber(band.offset)}</Item>`);
    if (band.scale !== undefined) lines.push(`  <Item name="SCALE" sample="${i}" role="scale">${formatNumber(band.scale)}</Item>`);
    if (band.description !== undefined) {
      lines.push(`  <Item name="DESCRIPTION" sample="${i}" role="description">${esc(band.description)}</Item>`);
    }
  });
  if (lines.length === 0) return undefined;
  return `<GDALMetadata>\n${lines.join('\n')}\n</GDALMetadata>\n`;
}

/** A number as GDAL parses it: shortest round-trip decimal; `nan`, `inf`, `-inf` for the special values. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/** GDAL_NODATA text for a no-data value (the NUL terminator is added by the TIFF encoder). */
export function gdalNodataText(nodata: number): string {
  // -0 would print as "0"; keep its sign so float rasters round-trip exactly.
  return Object.is(nodata, -0) ? '-0' : formatNumber(nodata);
}
