/**
 * The demo world's STAC API (a local DEA Explorer stand-in). Mount with
 * `app.route('/demo/stac', createStacApi(catalog))`.
 */
export { createStacApi, CONFORMS_TO } from './app';
export type { StacApiOptions, StacCatalog, StacCollectionDoc, StacItemDoc } from './types';
export { parseCql2Text } from './cql2-text';
export { compileCql2, type FilterTarget, type ItemPredicate } from './cql2-filter';
export type { Cql2Expression, Cql2Operand, Cql2Operation } from './cql2-types';
export { parseDatetimeRange, type DatetimeRange } from './datetime-range';
