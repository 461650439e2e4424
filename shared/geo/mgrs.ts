/**
 * The `mgrs` package (proj4js) ships an ES module with named exports for bundlers and a UMD build for Node,
 * whose ESM loader only exposes it as `default`. This picks whichever the runtime gave us.
 */
import * as mgrsModule from 'mgrs';

type Mgrs = typeof import('mgrs');
const mod = mgrsModule as unknown as Mgrs & { default?: Mgrs };

/** The mgrs API, whichever way the runtime loaded it. */
export const mgrs: Mgrs = typeof mod.toPoint === 'function' ? mod : (mod.default as Mgrs);
