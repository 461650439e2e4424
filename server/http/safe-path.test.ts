import { describe, expect, it } from 'vitest';
import { safePathSegments } from './safe-path';

describe('safePathSegments', () => {
  it('decodes ordinary keys', () => {
    expect(safePathSegments('bucket/a%20b/c.tif')).toEqual({ segments: ['bucket', 'a b', 'c.tif'] });
  });

  it.each([
    ['..', /traversal/],
    ['b/../x', /traversal/],
    ['b/%2e%2e/x', /traversal/],
    ['b/..%2f..%2fetc%2fpasswd', /traversal/],
    ['b/./x', /traversal/],
    ['%2Fetc%2Fpasswd', /Absolute/],
    ['/etc/passwd', /Absolute/],
    ['b/a%00b', /NUL/],
    ['b/..%5c..%5cx', /backslash/],
    ['b//x', /empty segment/],
    ['b/%zz', /percent-encoding/],
  ])('refuses %s', (p, message) => {
    const r = safePathSegments(p);
    expect('error' in r && r.error).toMatch(message);
  });
});
