import { describe, expect, it } from 'vitest';
import { parseDatetimeRange } from './datetime-range';

const ms = (s: string) => Date.parse(s);

describe('parseDatetimeRange (Explorer semantics)', () => {
  it('instants: a date or midnight is the whole day, other times one second', () => {
    expect(parseDatetimeRange('2023-01-04')).toEqual({ start: ms('2023-01-04T00:00:00Z'), end: ms('2023-01-05T00:00:00Z') });
    expect(parseDatetimeRange('2023-01-04T00:00:00Z')).toEqual({ start: ms('2023-01-04T00:00:00Z'), end: ms('2023-01-05T00:00:00Z') });
    expect(parseDatetimeRange('2023-01-04T07:52:11Z')).toEqual({ start: ms('2023-01-04T07:52:11Z'), end: ms('2023-01-04T07:52:12Z') });
    expect(parseDatetimeRange('2023-01-04T09:52:11.5+02:00')!.start).toBe(ms('2023-01-04T07:52:11.500Z'));
    expect(parseDatetimeRange('2023-01-04T07:52:11')!.start).toBe(ms('2023-01-04T07:52:11Z'));
  });

  it('intervals with open ends', () => {
    expect(parseDatetimeRange('2023-01-01T00:00:00Z/2023-02-01T00:00:00Z')).toEqual({ start: ms('2023-01-01T00:00:00Z'), end: ms('2023-02-01T00:00:00Z') });
    expect(parseDatetimeRange('2023-01-01/..')).toEqual({ start: ms('2023-01-01T00:00:00Z'), end: null });
    expect(parseDatetimeRange('../2023-01-01')).toEqual({ start: null, end: ms('2023-01-01T00:00:00Z') });
    expect(parseDatetimeRange('/2023-01-01')).toEqual({ start: null, end: ms('2023-01-01T00:00:00Z') });
    expect(parseDatetimeRange('../..')).toBeNull();
    expect(parseDatetimeRange('')).toBeNull();
  });

  it('rejects what it cannot read', () => {
    for (const bad of ['2023-13-01', '2023-02-29', '2023-01-01T24:00:00Z', 'today', '2023-01-01/2022-01-01', 'a/b/c', '20230101']) {
      expect(() => parseDatetimeRange(bad), bad).toThrow(/datetime/);
    }
  });
});
