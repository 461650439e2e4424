import { describe, expect, it } from 'vitest';
import { GeoCropError } from './errors';
import { jobRequestSchema, parseJobRequest, type JobRequest } from './job';

const NOW = new Date('2026-11-23T12:00:00Z');
const AOI = { lon: 30.05, lat: -17.8, radius_m: 2000 };
const parse = (input: unknown, opts: { maxRadiusM?: number } = {}): JobRequest => parseJobRequest(input, { now: NOW, ...opts });

function errorOf(fn: () => unknown): GeoCropError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GeoCropError) return e;
    throw e;
  }
  throw new Error('expected a GeoCropError, nothing was thrown');
}

/** The owner's payload from seed plan §2.2, with an AOI near Mazowe. */
const OWNER_PAYLOAD = {
  job_id: '6f1c2a4e-0b7d-4c1e-9f3a-2d5b8e7c9a10',
  user_id: '0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
  aoi: { lon: 30.46, lat: -16.81, radius_m: 2000 },
  year: 2021,
  season: 'summer',
  model: 'Ensemble',
  smoothing_kernel: 5,
  outputs: { refined: true, dw_baseline: true, true_color: true, indices: ['ndvi_peak', 'evi_peak', 'savi_peak'] },
};

describe('parseJobRequest: defaults', () => {
  it('fills every optional field', () => {
    const req = parse({ aoi: AOI, year: 2022 });
    expect(req.job_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(req).toEqual({
      job_id: req.job_id,
      aoi: AOI,
      year: 2022,
      season: 'summer',
      model: 'croptype-demo',
      smoothing_kernel: 5,
      outputs: { refined: true, baseline: true, true_color: true, indices: ['ndvi_peak', 'evi_peak', 'savi_peak'], monthly: false },
    });
    expect('user_id' in req).toBe(false);
  });

  it('gives each request its own job id and its own default lists', () => {
    const a = parse({ aoi: AOI, year: 2022 });
    const b = parse({ aoi: AOI, year: 2022 });
    expect(a.job_id).not.toBe(b.job_id);
    a.outputs.indices.push('ndvi_peak');
    expect(b.outputs.indices).toHaveLength(3);
  });

  it('fills nested defaults when outputs is partly given', () => {
    const req = parse({ aoi: AOI, year: 2022, outputs: { monthly: true, indices: ['evi_peak', 'evi_peak'] } });
    expect(req.outputs).toEqual({ refined: true, baseline: true, true_color: true, indices: ['evi_peak'], monthly: true });
  });

  it('accepts the owner payload and reads the legacy outputs.dw_baseline as outputs.baseline', () => {
    const req = parse(OWNER_PAYLOAD);
    expect(req.job_id).toBe(OWNER_PAYLOAD.job_id);
    expect(req.user_id).toBe(OWNER_PAYLOAD.user_id);
    expect(req.model).toBe('Ensemble');
    expect(req.outputs).toEqual({ refined: true, baseline: true, true_color: true, indices: ['ndvi_peak', 'evi_peak', 'savi_peak'], monthly: false });
    expect('dw_baseline' in req.outputs).toBe(false);
    expect(parse({ aoi: AOI, year: 2022, outputs: { dw_baseline: false } }).outputs.baseline).toBe(false);
    expect(parse({ aoi: AOI, year: 2022, outputs: { baseline: false, dw_baseline: false } }).outputs.baseline).toBe(false);
  });

  it('rejects a baseline and dw_baseline that disagree', () => {
    const err = errorOf(() => parse({ aoi: AOI, year: 2022, outputs: { baseline: true, dw_baseline: false } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/send only "outputs.baseline"/);
  });

  it('does not change its input', () => {
    const input = structuredClone(OWNER_PAYLOAD);
    parse(input);
    expect(input).toEqual(OWNER_PAYLOAD);
  });
});

describe('parseJobRequest: unknown fields', () => {
  it.each([
    [{ aoi: AOI, year: 2022, colour: 'red' }, 'colour', undefined],
    [{ aoi: { ...AOI, radius: 2000 }, year: 2022 }, 'aoi.radius', 'aoi.radius_m'],
    [{ aoi: { lon: 30.05, lat: -17.8, radius: 2000 }, year: 2022 }, 'aoi.radius', 'aoi.radius_m'],
    [{ aoi: { ...AOI, longitude: 30 }, year: 2022 }, 'aoi.longitude', 'aoi.lon'],
    [{ aoi: AOI, year: 2022, outputs: { truecolour: true } }, 'outputs.truecolour', 'outputs.true_color'],
    [{ aoi: AOI, year: 2022, kernel: 5 }, 'kernel', 'smoothing_kernel'],
    [{ aoi: AOI, year: 2022, lat: -17.8 }, 'lat', 'aoi.lat'],
    [{ aoi: AOI, year: 2022, yaer: 2022 }, 'yaer', 'year'],
  ])('rejects %j naming %s', (input, path, suggestion) => {
    const err = errorOf(() => parse(input));
    expect(err.code).toBe('UNKNOWN_FIELD');
    expect(err.message).toContain(`Unknown field "${path}"`);
    if (suggestion) expect(err.message).toContain(`did you mean "${suggestion}"?`);
    else expect(err.message).toMatch(/remove it \(allowed here: job_id, user_id, aoi/);
  });

  it('words the example from the contract exactly', () => {
    const err = errorOf(() => parse({ aoi: { ...AOI, radius: 5 }, year: 2022 }));
    expect(err.message).toBe('Unknown field "aoi.radius" — did you mean "aoi.radius_m"?');
  });

  it('names every unknown field at every level, and lists them in details', () => {
    const err = errorOf(() => parse({ aoi: { ...AOI, radius: 1 }, year: 2022, foo: 1, outputs: { bar: true } }));
    expect(err.code).toBe('UNKNOWN_FIELD');
    const issues = (err.details?.issues ?? []) as { path: string; code: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(['aoi.radius', 'foo', 'outputs.bar']);
    for (const p of ['"aoi.radius"', '"foo"', '"outputs.bar"']) expect(err.message).toContain(p);
  });
});

describe('parseJobRequest: invalid values', () => {
  it.each([
    [{ aoi: { ...AOI, lon: '30.05' }, year: 2022 }, 'INVALID_REQUEST', /Field "aoi.lon" must be a number: longitude in degrees east.*got the string "30.05"/],
    [{ aoi: AOI }, 'INVALID_REQUEST', /Missing field "year": expected a whole number/],
    [{ year: 2022 }, 'INVALID_REQUEST', /Missing field "aoi"/],
    [{ aoi: AOI, year: 2022.5 }, 'INVALID_REQUEST', /Field "year" must be a whole number.*got 2022.5/],
    [{ aoi: AOI, year: '2022' }, 'INVALID_REQUEST', /Field "year"/],
    [{ aoi: AOI, year: 2022, season: 'winter' }, 'UNSUPPORTED_SEASON', /Field "season" must be "summer"/],
    [{ aoi: AOI, year: 2022, smoothing_kernel: 4 }, 'INVALID_KERNEL', /Field "smoothing_kernel" must be 3, 5 or 7.*got 4/],
    [{ aoi: AOI, year: 2022, outputs: { indices: ['ndvi_peak', 'ndwi'] } }, 'INVALID_REQUEST', /Field "outputs.indices\[1\]" must be one of "ndvi_peak", "evi_peak", "savi_peak"/],
    [{ aoi: AOI, year: 2022, outputs: { refined: 'yes' } }, 'INVALID_REQUEST', /Field "outputs.refined" must be true or false/],
    [{ aoi: AOI, year: 2022, model: '../etc/passwd' }, 'INVALID_REQUEST', /Field "model" must be a model id/],
    [{ aoi: AOI, year: 2022, job_id: 'a/b' }, 'INVALID_REQUEST', /Field "job_id"/],
    [{ aoi: AOI, year: 2022, user_id: '' }, 'INVALID_REQUEST', /Field "user_id"/],
    [null, 'INVALID_REQUEST', /The job request must be a JSON object/],
    [[AOI], 'INVALID_REQUEST', /The job request must be a JSON object.*got a list/],
  ])('%j → %s', (input, code, message) => {
    const err = errorOf(() => parse(input));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('uses INVALID_REQUEST when problems of several kinds are mixed, listing them all', () => {
    const err = errorOf(() => parse({ aoi: AOI, year: 2022, season: 'winter', smoothing_kernel: 4 }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/"season".*"smoothing_kernel"/);
  });
});

describe('parseJobRequest: rules', () => {
  it('applies the year rules with an injected clock', () => {
    expect(parse({ aoi: AOI, year: 2026 }).year).toBe(2026);
    expect(errorOf(() => parse({ aoi: AOI, year: 2027 })).code).toBe('YEAR_NOT_STARTED');
    expect(errorOf(() => parse({ aoi: AOI, year: 2016 })).code).toBe('YEAR_TOO_EARLY');
    expect(parse({ aoi: AOI, year: 2017 }).year).toBe(2017);
    expect(errorOf(() => parseJobRequest({ aoi: AOI, year: 2026 }, { now: new Date('2026-08-31T12:00:00Z') })).code).toBe('YEAR_NOT_STARTED');
  });

  it('applies the AOI rules with the browser limit by default and the server limit when passed', () => {
    expect(errorOf(() => parse({ aoi: { ...AOI, radius_m: 5001 }, year: 2022 })).code).toBe('AOI_RADIUS_TOO_LARGE');
    expect(parse({ aoi: { ...AOI, radius_m: 25_000 }, year: 2022 }, { maxRadiusM: 25_000 }).aoi.radius_m).toBe(25_000);
    expect(errorOf(() => parse({ aoi: { lon: -17.8, lat: 30.05, radius_m: 2000 }, year: 2022 })).message).toMatch(/longitude comes first/);
    expect(errorOf(() => parse({ aoi: { lon: 28.28, lat: -15.41, radius_m: 2000 }, year: 2022 })).code).toBe('AOI_OUTSIDE_ZIMBABWE');
  });
});

describe('jobRequestSchema', () => {
  it('is strict at every level', () => {
    expect(jobRequestSchema.safeParse({ aoi: AOI, year: 2022 }).success).toBe(true);
    expect(jobRequestSchema.safeParse({ aoi: { ...AOI, z: 1 }, year: 2022 }).success).toBe(false);
    expect(jobRequestSchema.safeParse({ aoi: AOI, year: 2022, outputs: { z: 1 } }).success).toBe(false);
  });
});
