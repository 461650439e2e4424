/**
 * Errors across the Worker boundary. Structured clone (and comlink's default error handler) keeps only `name`,
 * `message` and `stack`, which would drop a GeoCropError's `code` and `details`; so the Worker rejects with one of
 * these plain payloads and the page rebuilds the error it stands for.
 */
import { GeoCropError, type ErrorPayload } from '../../../shared/contract/errors';

/** A failed call, as it crosses `postMessage`. */
export type WireError =
  | { kind: 'geocrop'; error: ErrorPayload }
  | { kind: 'abort'; message: string }
  | { kind: 'error'; name: string; message: string; stack?: string };

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** The payload for anything a call threw (GeoCropError, AbortError, another Error, or a non-Error value). */
export function toWireError(err: unknown): WireError {
  if (err instanceof GeoCropError) return { kind: 'geocrop', error: err.toJSON() };
  if (isAbort(err)) return { kind: 'abort', message: (err as Error).message || 'The operation was aborted.' };
  if (err instanceof Error) return { kind: 'error', name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { kind: 'error', name: 'Error', message: String(err) };
}

/** True for a value shaped like a {@link WireError} (what the page gets when a Worker call rejects). */
export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; error?: unknown; message?: unknown };
  if (v.kind === 'geocrop') return typeof v.error === 'object' && v.error !== null;
  return (v.kind === 'abort' || v.kind === 'error') && typeof v.message === 'string';
}

/**
 * The error a payload stands for: a `GeoCropError` (same code, message, details), a `DOMException` named
 * `AbortError` (as `fetch` rejects), a `TypeError` (as `fetch` rejects offline), or a plain `Error` keeping the
 * Worker-side name and stack. Anything that is not a
 * payload (e.g. comlink's own rebuilt Error when the Worker died) is returned as an Error unchanged.
 */
export function fromWireError(value: unknown): Error {
  if (!isWireError(value)) return value instanceof Error ? value : new Error(String(value));
  if (value.kind === 'geocrop') return GeoCropError.fromJSON(value.error);
  if (value.kind === 'abort') return new DOMException(value.message, 'AbortError');
  // fetch reports an unreachable network or a CORS refusal as a TypeError, and callers test for it with instanceof
  // (the reader's CORS fallback, the offline cache): keep the class.
  const err = value.name === 'TypeError' ? new TypeError(value.message) : new Error(value.message);
  err.name = value.name;
  if (value.stack) err.stack = value.stack;
  return err;
}
