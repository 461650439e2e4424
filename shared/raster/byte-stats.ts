/**
 * What COG reading cost: a plain mutable counter object the reader adds to, so a run can report (and tests can
 * assert) how close the bytes fetched stay to the bytes the requested windows really need. Plain numbers only, so
 * a snapshot crosses `postMessage` unchanged.
 */

/** Counters of one reader context (one run). */
export interface ByteStats {
  /** HTTP requests sent, retries and proxy fallbacks included. */
  requests: number;
  /** Response body bytes received (headers, IFDs and tiles; error bodies excluded). */
  bytesFetched: number;
  /** Compressed bytes of the internal tiles that the read windows intersect (`TileByteCounts`). */
  bytesNeeded: number;
  /** How many of `requests` went through the CORS proxy. */
  viaProxy: number;
}

/** Fresh zeroed counters. */
export function createByteStats(): ByteStats {
  return { requests: 0, bytesFetched: 0, bytesNeeded: 0, viaProxy: 0 };
}

/** `after − before`, counter by counter (the cost of whatever ran in between). */
export function byteStatsDelta(after: ByteStats, before: ByteStats): ByteStats {
  return {
    requests: after.requests - before.requests,
    bytesFetched: after.bytesFetched - before.bytesFetched,
    bytesNeeded: after.bytesNeeded - before.bytesNeeded,
    viaProxy: after.viaProxy - before.viaProxy,
  };
}

/** Adds `delta` into `into`, counter by counter. */
export function addByteStats(into: ByteStats, delta: ByteStats): void {
  into.requests += delta.requests;
  into.bytesFetched += delta.bytesFetched;
  into.bytesNeeded += delta.bytesNeeded;
  into.viaProxy += delta.viaProxy;
}
