/**
 * The cql2-json shapes the demo STAC API understands (Basic CQL2 plus BETWEEN, IN, LIKE).
 * https://docs.ogc.org/is/21-065r2/21-065r2.html
 */

/** A property reference, `{"property": "eo:cloud_cover"}` (`properties.` prefix accepted, as Explorer does). */
export interface Cql2Property {
  property: string;
}

/** Temporal literals: `{"timestamp": "2023-01-04T00:00:00Z"}`, `{"date": "2023-01-04"}`. */
export type Cql2Temporal = { timestamp: string } | { date: string };

/** Anything that can stand as an argument of a comparison. */
export type Cql2Operand = Cql2Property | Cql2Temporal | string | number | boolean | null | Cql2Operand[];

/** An operation node, `{"op": "<=", "args": [...]}`. */
export interface Cql2Operation {
  op: string;
  args: (Cql2Expression | Cql2Operand)[];
}

/** A boolean expression: an operation or a boolean literal. */
export type Cql2Expression = Cql2Operation | boolean;
