/** Test support for `shared/stac` (used by tests only; never import from product code). */
export { eo3ToExplorerItem, type Eo3Document, type Eo3ToStacOptions } from './eo3-to-stac';
