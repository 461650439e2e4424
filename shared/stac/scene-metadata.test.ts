import { describe, expect, it } from 'vitest';
import { bandForAssetKey } from './band-names';
import { boaOffsetApplied, epsgOf, processingBaseline, sceneFamily, sceneTile } from './scene-metadata';

describe('sceneTile', () => {
  it('reads each naming scheme, first match wins', () => {
    expect(sceneTile({ 'odc:region_code': '36KSF', 'grid:code': 'MGRS-35KRU' }, 'x')).toBe('36KSF');
    expect(sceneTile({ 'grid:code': 'MGRS-35KRU' }, 'x')).toBe('35KRU');
    expect(sceneTile({ 'mgrs:utm_zone': 36, 'mgrs:latitude_band': 'K', 'mgrs:grid_square': 'TF' }, 'x')).toBe('36KTF');
    expect(sceneTile({ 'sentinel:utm_zone': 7, 'sentinel:latitude_band': 'k', 'sentinel:grid_square': 'tf' }, 'x')).toBe('07KTF');
    expect(sceneTile({ title: 'S2A_MSIL2A_20220808T072631_N0400_R049_T37MCQ_20220808T111058' }, 'uuid')).toBe('37MCQ');
    expect(sceneTile({}, 'S2A_29RKH_20200219_0_L2A')).toBe('29RKH');
    expect(sceneTile({ 'odc:region_code': '96_82' }, 'uuid')).toBeNull();
  });
});

describe('processingBaseline / boaOffsetApplied / family / epsg', () => {
  it('prefers explicit properties, then decodes product names', () => {
    expect(processingBaseline({ 's2:processing_baseline': '05.10' }, 'x')).toBe('05.10');
    expect(processingBaseline({ 'sentinel:processing_baseline': '04.00' }, 'x')).toBe('04.00');
    expect(processingBaseline({ 's2:product_uri': 'S2B_MSIL2A_20240710T071619_N0510_R006_T37MGP_20240710T103747.SAFE' }, 'x')).toBe('05.10');
    expect(processingBaseline({ 'sentinel:product_id': 'S2A_MSIL2A_20200909T065031_N0214_R077_T39MXR_20200909T083937' }, 'x')).toBe('02.14');
    expect(processingBaseline({}, 'S2A_29RKH_20200219_0_L2A')).toBeNull();
  });

  it('reads both BOA flag spellings', () => {
    expect(boaOffsetApplied({ 'sentinel:boa_offset_applied': true })).toBe(true);
    expect(boaOffsetApplied({ 'earthsearch:boa_offset_applied': false })).toBe(false);
    expect(boaOffsetApplied({})).toBeNull();
  });

  it('families and EPSG codes', () => {
    expect([sceneFamily('s2_l2a_c1'), sceneFamily('s2_l2a'), sceneFamily('sentinel-2-l2a')]).toEqual(['c1', 'legacy', 'other']);
    expect(epsgOf({ 'proj:epsg': 32736 })).toBe(32736);
    expect(epsgOf({ 'proj:code': 'EPSG:32735' })).toBe(32735);
    expect(epsgOf({ 'proj:epsg': null })).toBeNull();
  });
});

describe('bandForAssetKey', () => {
  it('maps DEA product-definition aliases case-insensitively', () => {
    expect(bandForAssetKey('B8A')?.band).toBe('nir08');
    expect(bandForAssetKey('b8a')?.band).toBe('nir08');
    expect(bandForAssetKey('nir_narrow')?.band).toBe('nir08');
    expect(bandForAssetKey('SCL')?.band).toBe('scl');
    expect(bandForAssetKey('swir_1')?.band).toBe('swir16');
    expect(bandForAssetKey('red_edge_3')?.band).toBe('rededge3');
    expect(bandForAssetKey('visual')).toBeNull();
    expect(bandForAssetKey('red-jp2')).toBeNull();
    expect(bandForAssetKey('wvp')).toBeNull();
  });
});
