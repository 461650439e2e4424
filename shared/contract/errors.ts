/**
 * Stable error codes and the one error class that carries them.
 *
 * Codes are part of the public contract: they cross Web Worker `postMessage`, HTTP responses and the CLI's
 * exit message unchanged, so clients can branch on them. Never rename a code; add new ones.
 */

/** Every code GeoCrop can report, with the HTTP status a server answers it with. */
export const ERROR_STATUS = {
  // Request contract (job payload)
  INVALID_REQUEST: 400,
  UNKNOWN_FIELD: 400,
  AOI_OUT_OF_RANGE: 400,
  AOI_RADIUS_TOO_SMALL: 400,
  AOI_RADIUS_TOO_LARGE: 400,
  AOI_OUTSIDE_ZIMBABWE: 400,
  AOI_CROSSES_BORDER: 400,
  YEAR_TOO_EARLY: 400,
  YEAR_NOT_STARTED: 400,
  UNSUPPORTED_SEASON: 400,
  INVALID_KERNEL: 400,
  // Rasters and files
  INVALID_RASTER: 400,
  UNSUPPORTED_DATA_TYPE: 400,
  // STAC
  STAC_BAD_PARAMETER: 400,
  /** A STAC Item lacks (or has malformed) a field GeoCrop needs: the message names the field and the item id. */
  INVALID_ITEM: 400,
  STAC_NOT_FOUND: 404,
  STAC_UNAVAILABLE: 502,
  NO_SCENES: 404,
  ALL_CLOUDY: 422,
  // I/O
  READ_FAILED: 502,
  RANGE_NOT_SATISFIABLE: 416,
  NOT_FOUND: 404,
  /** The browser refused to store more (IndexedDB quota): the message says what to delete. */
  STORAGE_FULL: 507,
  // Models
  /** A model bundle is malformed: manifest schema, ONNX bytes (SHA-256), or graph vs manifest disagree. */
  MODEL_INVALID: 422,
  /** The features offered to a model do not match its inputs by name: the message names each missing/extra one. */
  MODEL_FEATURE_MISMATCH: 422,
  /** No model bundle with the requested id is listed. */
  MODEL_NOT_FOUND: 404,
  // Generic
  ABORTED: 499,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Plain, serialisable form of a {@link GeoCropError}: what crosses worker and HTTP boundaries. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The error every GeoCrop module throws for a known failure. `message` is written for the person who has to fix
 * the input: it says what is wrong and what to change.
 */
export class GeoCropError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'GeoCropError';
    this.code = code;
    this.details = details;
  }

  /** HTTP status for this code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): ErrorPayload {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  /** Rebuilds an error after it crossed a boundary; unknown codes become `INTERNAL`. */
  static fromJSON(payload: { code?: unknown; message?: unknown; details?: unknown }): GeoCropError {
    const code = typeof payload.code === 'string' && payload.code in ERROR_STATUS ? (payload.code as ErrorCode) : 'INTERNAL';
    const message = typeof payload.message === 'string' ? payload.message : 'Unknown error';
    const details = payload.details && typeof payload.details === 'object' ? (payload.details as Record<string, unknown>) : undefined;
    return new GeoCropError(code, message, details);
  }
}

/** True for a {@link GeoCropError} with the given code (or any code when omitted). */
export function isGeoCropError(err: unknown, code?: ErrorCode): err is GeoCropError {
  return err instanceof GeoCropError && (code === undefined || err.code === code);
}

/** The `AbortError` every long call rejects with when its signal fires (a DOMException, as `fetch` does). */
export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** Throws the `AbortError` if the signal has fired; call between units of work. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}
