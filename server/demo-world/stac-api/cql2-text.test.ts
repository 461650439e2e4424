import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../../shared/contract/errors';
import { compileCql2 } from './cql2-filter';
import { parseCql2Text } from './cql2-text';

const p = (property: string) => ({ property });

describe('parseCql2Text → cql2-json', () => {
  it('builds the same trees a client would POST', () => {
    expect(parseCql2Text('eo:cloud_cover <= 50 AND eo:cloud_cover > 0')).toEqual({
      op: 'and', args: [{ op: '<=', args: [p('eo:cloud_cover'), 50] }, { op: '>', args: [p('eo:cloud_cover'), 0] }],
    });
    expect(parseCql2Text('a = 1 or b = 2 and c = 3')).toEqual({
      op: 'or', args: [{ op: '=', args: [p('a'), 1] }, { op: 'and', args: [{ op: '=', args: [p('b'), 2] }, { op: '=', args: [p('c'), 3] }] }],
    });
    expect(parseCql2Text('(a = 1 OR b = 2) AND NOT c <> -3.5e1')).toEqual({
      op: 'and', args: [
        { op: 'or', args: [{ op: '=', args: [p('a'), 1] }, { op: '=', args: [p('b'), 2] }] },
        { op: 'not', args: [{ op: '<>', args: [p('c'), -35] }] },
      ],
    });
    expect(parseCql2Text('x NOT BETWEEN 1 AND 2')).toEqual({ op: 'not', args: [{ op: 'between', args: [p('x'), 1, 2] }] });
    expect(parseCql2Text('x IS NOT NULL')).toEqual({ op: 'not', args: [{ op: 'isNull', args: [p('x')] }] });
    expect(parseCql2Text("t IN ('a', 'b''c')")).toEqual({ op: 'in', args: [p('t'), ['a', "b'c"]] });
    expect(parseCql2Text('"odd name" != TRUE')).toEqual({ op: '<>', args: [p('odd name'), true] });
    expect(parseCql2Text("datetime < DATE('2024-01-01')")).toEqual({ op: '<', args: [p('datetime'), { date: '2024-01-01' }] });
    expect(parseCql2Text('true')).toBe(true);
  });

  it('rejects bad syntax with a 400 naming the position', () => {
    for (const bad of ['', 'a =', 'a = = 1', 'AND a = 1', 'a = 1)', "a = 'x", 'a BETWEEN 1', 'a IS 1', 'a # 1', 'a NOT 1']) {
      try {
        parseCql2Text(bad);
        throw new Error(`accepted: ${bad}`);
      } catch (err) {
        expect(isGeoCropError(err, 'STAC_BAD_PARAMETER'), bad).toBe(true);
      }
    }
  });
});

describe('compileCql2', () => {
  const q = new Set(['eo:cloud_cover', 'platform', 'flag']);
  const item = (props: Record<string, unknown>) => ({ id: 'a', collection: 'c', time: Date.UTC(2023, 0, 4), properties: props });

  it('follows CQL2 null semantics and types', () => {
    const lt = compileCql2(parseCql2Text('eo:cloud_cover < 10'), q);
    expect(lt(item({ 'eo:cloud_cover': 5 }))).toBe(true);
    expect(lt(item({ 'eo:cloud_cover': null }))).toBe(false);
    expect(lt(item({}))).toBe(false);
    expect(compileCql2(parseCql2Text('eo:cloud_cover <> 10'), q)(item({}))).toBe(false);
    expect(compileCql2(parseCql2Text("eo:cloud_cover = '5'"), q)(item({ 'eo:cloud_cover': 5 }))).toBe(false);
    expect(compileCql2(parseCql2Text('flag = true'), q)(item({ flag: true }))).toBe(true);
    expect(compileCql2(parseCql2Text("platform LIKE 'sentinel-2_'"), q)(item({ platform: 'sentinel-2b' }))).toBe(true);
    expect(compileCql2(parseCql2Text("datetime = TIMESTAMP('2023-01-04T00:00:00Z')"), q)(item({}))).toBe(true);
    expect(compileCql2(parseCql2Text("datetime > '2023-01-03'"), q)(item({}))).toBe(true);
    expect(compileCql2({ op: 'isNull', args: { property: 'flag' } }, q)(item({}))).toBe(true);
  });

  it('rejects unknown operators and properties by name', () => {
    expect(() => compileCql2({ op: 'a_contains', args: [] }, q)).toThrow(/"a_contains"/);
    expect(() => compileCql2(parseCql2Text('cloud < 1'), q)).toThrow(/"cloud".*eo:cloud_cover/);
    expect(() => compileCql2({ op: '<', args: [p('eo:cloud_cover'), { op: '=', args: [] }] }, q)).toThrow(/cannot be used as a value/);
    expect(() => compileCql2(42, q)).toThrow(/boolean expression/);
  });
});
