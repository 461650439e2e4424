/**
 * The buffers of a value that can be moved, not copied, through `postMessage`: a run's layers and feature stack are
 * tens of megabytes for a large AOI, and the Worker has no further use for them once the result is sent.
 */

/**
 * Every distinct `ArrayBuffer` under `value` (typed arrays, DataViews and bare buffers, in objects and arrays).
 * Views sharing a buffer list it once; SharedArrayBuffers are skipped (they are shared, never transferred), and so
 * are detached or zero-length buffers, which `postMessage` would refuse or gains nothing from.
 *
 * @example
 * return Comlink.transfer(result, transferablesOf(result));
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof ArrayBuffer) {
      if (v.byteLength > 0) found.add(v);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      visit(v.buffer);
      return;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child);
  };
  visit(value);
  return [...found];
}
