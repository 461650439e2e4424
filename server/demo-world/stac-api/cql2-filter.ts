/**
 * Compiles a cql2-json tree (POSTed, or parsed from cql2-text) into a predicate over indexed items.
 *
 * Supported: `=`, `<>`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not`, `between`, `isNull`, `in`, `like` on item
 * properties (`eo:cloud_cover`, `platform`, `s2:processing_baseline`...; a `properties.` prefix is accepted, as
 * Explorer accepts it), plus `id`, `collection` and `datetime`. Comparisons follow CQL2's null rule: a missing
 * or null value makes every comparison false (use `isNull`). Validation happens here, at compile time, so an
 * unknown operator or property is a 400 naming it before any item is looked at.
 */
import { badRequest } from './errors';
import type { Cql2Expression } from './cql2-types';

/** What a filter can see of an item. */
export interface FilterTarget {
  id: string;
  collection: string;
  /** Acquisition time, epoch ms. */
  time: number;
  properties: Readonly<Record<string, unknown>>;
}

/** A compiled filter. */
export type ItemPredicate = (item: FilterTarget) => boolean;

interface Time {
  time: number;
}
type Value = number | string | boolean | Time | null | undefined;
type Getter = (item: FilterTarget) => Value;

const COMPARISONS = ['=', '<>', '<', '<=', '>', '>='] as const;
const SUPPORTED = [...COMPARISONS, 'and', 'or', 'not', 'between', 'isNull', 'in', 'like'];
const SPECIAL_PROPERTIES = ['id', 'collection', 'datetime'];

const isTime = (v: Value): v is Time => typeof v === 'object' && v !== null;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toMs(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/** Ordering of two values, or null when CQL2 says the comparison is not true either way. */
function compare(a: Value, b: Value): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (isTime(a) || isTime(b)) {
    const x = isTime(a) ? a.time : typeof a === 'string' ? toMs(a) : null;
    const y = isTime(b) ? b.time : typeof b === 'string' ? toMs(b) : null;
    return x === null || y === null ? null : x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

class Compiler {
  constructor(private readonly queryables: ReadonlySet<string>) {}

  private fail(message: string): Error {
    return badRequest(`Invalid filter: ${message}`);
  }

  expression(node: unknown): ItemPredicate {
    if (typeof node === 'boolean') return () => node;
    if (!isObject(node) || typeof node.op !== 'string') {
      throw this.fail(`expected a boolean expression {"op": ..., "args": [...]}, got ${JSON.stringify(node)}`);
    }
    const op = SUPPORTED.find((o) => o.toLowerCase() === (node.op as string).toLowerCase());
    if (!op) {
      throw this.fail(`unsupported CQL2 operator ${JSON.stringify(node.op)}; supported: ${SUPPORTED.join(', ')}`);
    }
    // Explorer's original filter code accepted `isNull` with a bare object for args; keep accepting it.
    const args = op === 'isNull' && isObject(node.args) ? [node.args] : node.args;
    if (!Array.isArray(args)) throw this.fail(`operator ${JSON.stringify(op)} needs an "args" array`);
    const arity = (n: number) => {
      if (args.length !== n) throw this.fail(`operator ${JSON.stringify(op)} takes ${n} argument(s), got ${args.length}`);
    };
    switch (op) {
      case 'and':
      case 'or': {
        if (args.length < 1) throw this.fail(`operator "${op}" needs at least one argument`);
        const parts = args.map((a) => this.expression(a));
        return op === 'and' ? (it) => parts.every((p) => p(it)) : (it) => parts.some((p) => p(it));
      }
      case 'not': {
        arity(1);
        const inner = this.expression(args[0]);
        return (it) => !inner(it);
      }
      case 'isNull': {
        arity(1);
        const get = this.operand(args[0]);
        return (it) => {
          const v = get(it);
          return v === null || v === undefined;
        };
      }
      case 'between': {
        arity(3);
        const [v, lo, hi] = args.map((a) => this.operand(a));
        return (it) => {
          const x = v(it);
          const a = compare(x, lo(it));
          const b = compare(x, hi(it));
          return a !== null && b !== null && a >= 0 && b <= 0;
        };
      }
      case 'in': {
        arity(2);
        if (!Array.isArray(args[1])) throw this.fail('operator "in" takes a property and an array of values');
        const v = this.operand(args[0]);
        const list = (args[1] as unknown[]).map((a) => this.operand(a));
        return (it) => {
          const x = v(it);
          return list.some((g) => compare(x, g(it)) === 0);
        };
      }
      case 'like': {
        arity(2);
        if (typeof args[1] !== 'string') throw this.fail('operator "like" takes a property and a pattern string');
        const v = this.operand(args[0]);
        const re = likeRegex(args[1]);
        return (it) => {
          const x = v(it);
          return typeof x === 'string' && re.test(x);
        };
      }
      default: {
        arity(2);
        const [a, b] = args.map((x) => this.operand(x));
        const test: (c: number) => boolean = {
          '=': (c: number) => c === 0,
          '<>': (c: number) => c !== 0,
          '<': (c: number) => c < 0,
          '<=': (c: number) => c <= 0,
          '>': (c: number) => c > 0,
          '>=': (c: number) => c >= 0,
        }[op as (typeof COMPARISONS)[number]];
        return (it) => {
          const c = compare(a(it), b(it));
          return c !== null && test(c);
        };
      }
    }
  }

  private operand(node: unknown): Getter {
    if (node === null) return () => null;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw this.fail(`non-finite number ${node}`);
      return () => node;
    }
    if (typeof node === 'string' || typeof node === 'boolean') return () => node;
    if (isObject(node)) {
      if (typeof node.property === 'string') return this.property(node.property);
      const temporal = typeof node.timestamp === 'string' ? node.timestamp : typeof node.date === 'string' ? node.date : null;
      if (temporal !== null) {
        const ms = toMs(temporal);
        if (ms === null) throw this.fail(`invalid temporal literal ${JSON.stringify(temporal)}`);
        const value: Time = { time: ms };
        return () => value;
      }
      if (typeof node.op === 'string') {
        throw this.fail(`operator ${JSON.stringify(node.op)} cannot be used as a value (compare a property with a literal)`);
      }
    }
    throw this.fail(`unsupported operand ${JSON.stringify(node)}`);
  }

  private property(raw: string): Getter {
    const name = raw.startsWith('properties.') ? raw.slice('properties.'.length) : raw;
    if (name === 'id') return (it) => it.id;
    if (name === 'collection') return (it) => it.collection;
    if (name === 'datetime') return (it) => ({ time: it.time });
    if (!this.queryables.has(name)) {
      const known = [...SPECIAL_PROPERTIES, ...[...this.queryables].filter((k) => !SPECIAL_PROPERTIES.includes(k)).sort()];
      throw this.fail(`unknown property ${JSON.stringify(raw)}; queryable properties: ${known.join(', ')}`);
    }
    return (it) => {
      const v = it.properties[name];
      return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null ? v : undefined;
    };
  }
}

/**
 * Validates and compiles a cql2-json filter.
 *
 * @param queryables Property names (without `properties.`) that exist in the catalog's items.
 * @throws GeoCropError `STAC_BAD_PARAMETER` (400) naming an unknown operator or property.
 * @example
 * const keep = compileCql2({ op: '<=', args: [{ property: 'eo:cloud_cover' }, 50] }, new Set(['eo:cloud_cover']));
 */
export function compileCql2(filter: Cql2Expression | unknown, queryables: ReadonlySet<string>): ItemPredicate {
  return new Compiler(queryables).expression(filter);
}
