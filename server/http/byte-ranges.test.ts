import { describe, expect, it } from 'vitest';
import { contentRange, parseRange } from './byte-ranges';

describe('parseRange', () => {
  it('ignores a missing header and units other than bytes', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'none' });
    expect(parseRange(null, 100)).toEqual({ kind: 'none' });
    expect(parseRange('items=0-5', 100)).toEqual({ kind: 'none' });
  });

  it('parses the three single-range forms and clamps the end', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 9 }] });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 90, end: 99 }] });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 90, end: 99 }] });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 99 }] });
    expect(parseRange('bytes=50-100000', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 50, end: 99 }] });
    expect(parseRange('Bytes = 1-1', 100)).toEqual({ kind: 'ranges', ranges: [{ start: 1, end: 1 }] });
  });

  it('keeps several ranges in request order, skipping empty list elements and unsatisfiable ones', () => {
    expect(parseRange('bytes=10-19, 0-4,,-1, 500-', 100)).toEqual({
      kind: 'ranges',
      ranges: [
        { start: 10, end: 19 },
        { start: 0, end: 4 },
        { start: 99, end: 99 },
      ],
    });
  });

  it('calls malformed and unsatisfiable ranges unsatisfiable', () => {
    for (const h of ['bytes=100-', 'bytes=5-2', 'bytes=abc', 'bytes=', 'bytes=-0', 'bytes=1-2-3', 'bytes=0x10-', 'garbage']) {
      expect(parseRange(h, 100).kind, h).toBe('unsatisfiable');
    }
    expect(parseRange('bytes=0-', 0).kind).toBe('unsatisfiable');
    expect(parseRange('bytes=-5', 0).kind).toBe('unsatisfiable');
  });

  it('refuses too many ranges', () => {
    const many = 'bytes=' + Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(',');
    expect(parseRange(many, 1000)).toMatchObject({ kind: 'unsatisfiable', reason: expect.stringMatching(/Too many ranges/) });
  });

  it('formats Content-Range', () => {
    expect(contentRange({ start: 0, end: 99 }, 1000)).toBe('bytes 0-99/1000');
  });
});
