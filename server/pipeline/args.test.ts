import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import { buildRequest, parseClassifyArgs, USAGE } from './args';

const BASE = ['--lon', '30.05', '--lat', '-17.80', '--radius', '2000', '--year', '2022'];
const NOW = new Date('2026-11-23T00:00:00Z');

function failure(fn: () => unknown): GeoCropError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GeoCropError) return err;
    throw err;
  }
  throw new Error('expected a GeoCropError');
}

describe('parseClassifyArgs', () => {
  it('reads the required flags, negative values and defaults', () => {
    expect(parseClassifyArgs(BASE)).toEqual({ lon: 30.05, lat: -17.8, radius: 2000, year: 2022, resolution: 10, monthly: false, help: false });
  });

  it('reads every optional flag, in both --flag value and --flag=value forms', () => {
    const args = parseClassifyArgs([...BASE, '--model=croptype-x', '--kernel', '7', '--resolution=40', '--stac', 'http://h/demo/stac', '--s3-template', 'http://h/{key}', '--out', 'o', '--monthly', '--models', 'm', '--demo-dir', 'w', '--job-id', 'j1']);
    expect(args).toMatchObject({ model: 'croptype-x', kernel: 7, resolution: 40, stac: 'http://h/demo/stac', s3Template: 'http://h/{key}', out: 'o', monthly: true, models: 'm', demoDir: 'w', jobId: 'j1' });
  });

  it('names an unknown flag and suggests the one meant', () => {
    const err = failure(() => parseClassifyArgs([...BASE, '--radius-m', '5']));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toBe('Unknown flag --radius-m (did you mean --radius?).');
    expect(err.details).toMatchObject({ usage: true, flag: '--radius-m' });
    expect(failure(() => parseClassifyArgs([...BASE, '--kernal', '5'])).message).toContain('did you mean --kernel?');
    expect(failure(() => parseClassifyArgs([...BASE, '--zzzzzzzz'])).message).toBe('Unknown flag --zzzzzzzz.');
  });

  it('lists every missing required flag', () => {
    expect(failure(() => parseClassifyArgs(['--lon', '30'])).message).toMatch(/^Missing --lat, --radius, --year:/);
  });

  it('rejects non-numbers, repeats, values on switches, bad resolutions and stray words, naming the flag', () => {
    expect(failure(() => parseClassifyArgs([...BASE.slice(2), '--lon', 'east'])).message).toContain('--lon needs a number');
    expect(failure(() => parseClassifyArgs([...BASE, '--year', '2023'])).message).toBe('Flag --year is given twice: give it once.');
    expect(failure(() => parseClassifyArgs([...BASE, '--monthly=yes'])).message).toContain('--monthly takes no value');
    expect(failure(() => parseClassifyArgs([...BASE, '--resolution', '30'])).message).toContain('--resolution must be one of 10, 20, 40, 80');
    expect(failure(() => parseClassifyArgs([...BASE, 'extra'])).message).toContain('Unexpected argument "extra"');
    expect(failure(() => parseClassifyArgs([...BASE, '--out'])).message).toContain('--out needs a value');
  });

  it('answers --help without requiring anything, and the usage lists every flag', () => {
    expect(parseClassifyArgs(['--help']).help).toBe(true);
    expect(parseClassifyArgs(['-h']).help).toBe(true);
    for (const flag of ['--lon', '--lat', '--radius', '--year', '--model', '--kernel', '--resolution', '--stac', '--out', '--monthly']) expect(USAGE).toContain(flag);
  });
});

describe('buildRequest', () => {
  it('applies the server radius limit, not the browser one', () => {
    const req = buildRequest(parseClassifyArgs([...BASE.slice(0, 4), '--radius', '8000', '--year', '2022']), { maxRadiusM: 25_000, now: NOW });
    expect(req.aoi.radius_m).toBe(8000);
    const err = failure(() => buildRequest(parseClassifyArgs([...BASE.slice(0, 4), '--radius', '30000', '--year', '2022']), { maxRadiusM: 25_000, now: NOW }));
    expect(err.code).toBe('AOI_RADIUS_TOO_LARGE');
    expect(err.message).toContain('25000 m');
  });

  it('carries model, kernel, monthly and job id, and lets the contract judge them', () => {
    const req = buildRequest(parseClassifyArgs([...BASE, '--model', 'm1', '--kernel', '3', '--monthly', '--job-id', 'job-1']), { maxRadiusM: 25_000, now: NOW });
    expect(req).toMatchObject({ job_id: 'job-1', model: 'm1', smoothing_kernel: 3, year: 2022, outputs: { monthly: true, baseline: true, true_color: true } });
    expect(failure(() => buildRequest(parseClassifyArgs([...BASE, '--kernel', '4']), { maxRadiusM: 25_000, now: NOW })).code).toBe('INVALID_KERNEL');
    expect(failure(() => buildRequest(parseClassifyArgs(['--lon', '25', '--lat', '-25', '--radius', '500', '--year', '2022']), { maxRadiusM: 25_000, now: NOW })).code).toBe('AOI_OUTSIDE_ZIMBABWE');
  });
});
