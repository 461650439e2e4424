import Feature from 'ol/Feature';
import { asArray } from 'ol/color';
import type { Polygon } from 'ol/geom';
import GeoJSON from 'ol/format/GeoJSON';
import { fromLonLat, toLonLat } from 'ol/proj';
import type { Style } from 'ol/style';
import { describe, expect, it } from 'vitest';
import { BASEMAP } from './basemap-data';
import { BASEMAP_ATTRIBUTION, BASEMAP_COLOURS, basemapStyle, createOfflineBasemapLayer, provinceAt } from './offline-basemap';

/** Relative luminance proxy (0..255) of a CSS colour. */
const lightness = (css: string) => {
  const [r, g, b] = asArray(css);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const styles = (kind: string, name?: string): Style[] => {
  const s = basemapStyle(new Feature({ kind, name }));
  return Array.isArray(s) ? s : [s];
};

describe('createOfflineBasemapLayer', () => {
  it('holds every feature of the bundled file in Web Mercator, decluttered, with a background and attribution', () => {
    const layer = createOfflineBasemapLayer();
    const source = layer.getSource();
    if (!source) throw new Error('no source');
    expect(source.getFeatures()).toHaveLength(BASEMAP.features.length);
    expect(layer.getDeclutter()).toBeTruthy();
    expect(layer.getBackground()).toBe(BASEMAP_COLOURS.background);
    expect(source.getAttributions()?.({} as never)).toEqual([BASEMAP_ATTRIBUTION]);
    // Harare's city centre, projected, is in the Harare province feature and in Zimbabwe.
    const here = source.getFeaturesAtCoordinate(fromLonLat([31.05, -17.83])).map((f) => `${f.get('kind')}:${f.get('name')}`);
    expect(here.sort()).toEqual(['country:Zimbabwe', 'province:Harare']);
    const [minX, , maxX] = source.getExtent() ?? [NaN, NaN, NaN, NaN];
    expect(toLonLat([minX, 0])[0]).toBeCloseTo(BASEMAP.bbox[0], 3);
    expect(toLonLat([maxX, 0])[0]).toBeCloseTo(BASEMAP.bbox[2], 3);
  });
});

describe('basemapStyle', () => {
  it('fills Zimbabwe, lighter for neighbours, and draws its outline bolder than and above the province lines', () => {
    const [land, outline] = styles('country', 'Zimbabwe');
    expect(land.getFill()?.getColor()).toBe(BASEMAP_COLOURS.land);
    expect(styles('neighbour', 'Zambia')[0].getFill()?.getColor()).toBe(BASEMAP_COLOURS.neighbourLand);
    expect(lightness(BASEMAP_COLOURS.neighbourLand)).toBeGreaterThan(lightness(BASEMAP_COLOURS.land));
    expect(lightness(BASEMAP_COLOURS.background)).toBeLessThan(lightness(BASEMAP_COLOURS.land));

    const [province] = styles('province', 'Midlands');
    expect(province.getFill()).toBeNull(); // the country's fill shows through
    expect(outline.getStroke()?.getWidth()).toBeGreaterThan(province.getStroke()?.getWidth() ?? Infinity);
    expect(outline.getZIndex()).toBeGreaterThan(province.getZIndex() ?? 0);
    expect(styles('border')[0].getStroke()?.getColor()).toBe(BASEMAP_COLOURS.border);
  });

  it('labels provinces and neighbours with their own names, long ones on two lines, with a halo', () => {
    const cases = [['province', 'Midlands', 'Midlands'], ['province', 'Mashonaland Central', 'Mashonaland\nCentral'], ['neighbour', 'Zambia', 'Zambia'], ['neighbour', 'South Africa', 'South\nAfrica']];
    for (const [kind, name, label] of cases) {
      const text = styles(kind, name)[0].getText();
      expect(text?.getText()).toBe(label);
      expect(text?.getStroke()?.getColor()).toBe(BASEMAP_COLOURS.halo);
    }
    expect(styles('country', 'Zimbabwe').some((s) => s.getText())).toBe(false);
  });
});

describe('provinceAt', () => {
  it('names the province of towns across Zimbabwe', () => {
    const towns: [string, number, number, string][] = [
      ['Harare', 31.05, -17.83, 'Harare'],
      ['Bulawayo', 28.58, -20.15, 'Bulawayo'],
      ['Mutare', 32.67, -18.97, 'Manicaland'],
      ['Bindura', 31.33, -17.3, 'Mashonaland Central'],
      ['Marondera', 31.55, -18.19, 'Mashonaland East'],
      ['Chinhoyi', 30.2, -17.36, 'Mashonaland West'],
      ['Masvingo', 30.83, -20.07, 'Masvingo'],
      ['Hwange', 26.5, -18.36, 'Matabeleland North'],
      ['Gwanda', 29.0, -20.94, 'Matabeleland South'],
      ['Gweru', 29.82, -19.45, 'Midlands'],
    ];
    for (const [town, lon, lat, province] of towns) expect(provinceAt(lon, lat), town).toBe(province);
  });

  it('is undefined outside Zimbabwe, even inside the base map', () => {
    expect(provinceAt(28.28, -15.41)).toBeUndefined(); // Lusaka
    expect(provinceAt(34.84, -19.83)).toBeUndefined(); // Beira
    expect(provinceAt(27.0, -23.0)).toBeUndefined(); // Botswana/South Africa
    expect(provinceAt(0, 0)).toBeUndefined();
  });

  it('agrees with the data: an interior point of each province is attributed to it', () => {
    const provinces = new GeoJSON().readFeatures(BASEMAP).filter((f) => f.get('kind') === 'province');
    expect(provinces).toHaveLength(10);
    for (const p of provinces) {
      const [lon, lat] = (p.getGeometry() as Polygon).getInteriorPoint().getCoordinates();
      expect(provinceAt(lon, lat)).toBe(p.get('name'));
    }
  });
});
