import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, GeoCropError, isGeoCropError } from './errors';
import { parseJobRequest } from './job';

describe('GeoCropError across boundaries', () => {
  it('survives a JSON round trip with code, message and details', () => {
    let err: unknown;
    try {
      parseJobRequest({ aoi: { lon: 30.05, lat: -17.8, radius: 2000 }, year: 2022 }, { now: new Date('2026-11-23T00:00:00Z') });
    } catch (e) {
      err = e;
    }
    expect(isGeoCropError(err, 'UNKNOWN_FIELD')).toBe(true);
    const back = GeoCropError.fromJSON(JSON.parse(JSON.stringify(err)));
    expect(back).toBeInstanceOf(GeoCropError);
    expect(back.code).toBe('UNKNOWN_FIELD');
    expect(back.message).toBe((err as GeoCropError).message);
    expect(back.details).toEqual((err as GeoCropError).details);
    expect(back.status).toBe(400);
  });

  it('every contract code maps to a 4xx status', () => {
    for (const code of ['UNKNOWN_FIELD', 'INVALID_REQUEST', 'AOI_OUT_OF_RANGE', 'AOI_RADIUS_TOO_SMALL', 'AOI_RADIUS_TOO_LARGE', 'AOI_OUTSIDE_ZIMBABWE', 'AOI_CROSSES_BORDER', 'YEAR_TOO_EARLY', 'YEAR_NOT_STARTED', 'UNSUPPORTED_SEASON', 'INVALID_KERNEL'] as const) {
      expect(ERROR_STATUS[code]).toBe(400);
    }
  });
});
