import { describe, expect, it } from 'vitest';
import { GeoCropError } from './errors';
import { FIRST_SEASON_YEAR, latestStartedSeason, seasonMonths, seasonWindow, validateYear } from './season';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof GeoCropError ? e.code : 'NOT_A_GEOCROP_ERROR';
  }
  return undefined;
};

describe('seasonWindow', () => {
  it('runs Sep 1 of the year to May 31 of the next (seed plan §4.3 example)', () => {
    const w = seasonWindow(2018);
    expect(w.start).toBe('2018-09-01');
    expect(w.end).toBe('2019-05-31');
    expect(w.startDate.toISOString()).toBe('2018-09-01T00:00:00.000Z');
    expect(w.endDate.toISOString()).toBe('2019-05-31T23:59:59.999Z');
  });

  it('defaults to summer and matches the documented 2022 example', () => {
    expect(seasonWindow(2022, 'summer')).toEqual(seasonWindow(2022));
    expect([seasonWindow(2022).start, seasonWindow(2022).end]).toEqual(['2022-09-01', '2023-05-31']);
  });

  it('rejects unknown seasons and fractional years', () => {
    expect(codeOf(() => seasonWindow(2022, 'winter' as 'summer'))).toBe('UNSUPPORTED_SEASON');
    expect(codeOf(() => seasonWindow(2022.5))).toBe('INVALID_REQUEST');
  });
});

describe('seasonMonths', () => {
  it('lists the 9 months Sep..May across the year boundary', () => {
    const m = seasonMonths(2022);
    expect(m.map((x) => x.label)).toEqual([
      'Sep 2022', 'Oct 2022', 'Nov 2022', 'Dec 2022', 'Jan 2023', 'Feb 2023', 'Mar 2023', 'Apr 2023', 'May 2023',
    ]);
    expect(m[0]).toEqual({ year: 2022, month: 9, label: 'Sep 2022', start: '2022-09-01', end: '2022-09-30' });
    expect(m[8]).toEqual({ year: 2023, month: 5, label: 'May 2023', start: '2023-05-01', end: '2023-05-31' });
  });

  it('knows leap Februaries', () => {
    expect(seasonMonths(2023)[5].end).toBe('2024-02-29');
    expect(seasonMonths(2022)[5].end).toBe('2023-02-28');
  });
});

describe('validateYear', () => {
  const nov2026 = new Date('2026-11-23T10:00:00Z');

  it('starts at 2017, the first DEA Sentinel-2 L2A season', () => {
    expect(FIRST_SEASON_YEAR).toBe(2017);
    expect(validateYear(2017, nov2026)).toBe(2017);
    expect(codeOf(() => validateYear(2016, nov2026))).toBe('YEAR_TOO_EARLY');
  });

  it('allows the season in progress and refuses one not started (now = 2026-11-23)', () => {
    expect(validateYear(2026, nov2026)).toBe(2026);
    let err: unknown;
    try {
      validateYear(2027, nov2026);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GeoCropError);
    expect((err as GeoCropError).code).toBe('YEAR_NOT_STARTED');
    expect((err as GeoCropError).message).toBe('The 2027 season starts on 2027-09-01; choose 2017–2026.');
  });

  it('switches on Sep 1 UTC (now = 2026-08-31 refuses 2026)', () => {
    const aug31 = new Date('2026-08-31T23:59:59.999Z');
    expect(codeOf(() => validateYear(2026, aug31))).toBe('YEAR_NOT_STARTED');
    expect(() => validateYear(2025, aug31)).not.toThrow();
    expect(validateYear(2026, new Date('2026-09-01T00:00:00Z'))).toBe(2026);
    expect(latestStartedSeason(aug31)).toBe(2025);
  });

  it('tells the user the allowed range when too early', () => {
    expect(() => validateYear(2016, nov2026)).toThrow(/choose 2017–2026/);
  });
});
