/**
 * What a reading Worker exposes to the pipeline Worker's {@link createReadPool}: it reads dates of a run
 * (`createDateReader` — fetch, inflate, warp, mask) on its own core and sends each date's planes back transferred.
 * Its requests go back to the pipeline Worker ({@link ParentFetch}), so every run keeps one caching fetch: one set of
 * offline-cache counters, one list of what was missing offline, one place where saved answers are written.
 */
import { transfer } from 'comlink';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import { createDateReader, dateResultTransferables, type DateReader, type DateReadSetup, type DateResult } from '../../../shared/pipeline/date-reader';
import type { PlannedDate } from '../../../shared/pipeline/plan';
import { fromWireError, toWireError, type WireError } from './wire-errors';

/** A request as it crosses to the pipeline Worker (no signal, no body: the readers only GET ranges). */
export interface WireRequest {
  method: string;
  headers: [string, string][];
}

/** An answer read to its end, its body transferred. */
export type WireResponse =
  | { ok: true; status: number; statusText: string; headers: [string, string][]; body: ArrayBuffer }
  | { ok: false; error: WireError };

/**
 * The pipeline Worker's side of a reader's request: fetch `url` with the fetch of run session `session`.
 * `requestId` names the request for {@link ParentFetch.abort}.
 */
export interface ParentFetch {
  fetch(session: number, requestId: number, url: string, init: WireRequest): Promise<WireResponse>;
  /** The reader gave up on request `requestId` (its read was aborted). */
  abort(requestId: number): void;
}

/** The API of one reading Worker (comlink). */
export interface ReadWorkerApi {
  /** Where this Worker's requests go; called once, before any session. */
  connect(parent: ParentFetch): void;
  /** Starts run session `session` with what every date of the run needs. */
  start(session: number, setup: DateReadSetup): void;
  /**
   * Reads one date of session `session` (see `createDateReader`); `call` names it for {@link ReadWorkerApi.abort}.
   *
   * @throws a {@link WireError} payload (AbortError when aborted; scene failures are skipped, not thrown).
   */
  read(session: number, date: PlannedDate, dateIndex: number, call: number): Promise<DateResult>;
  /** Aborts read `call`. Unknown calls are ignored. */
  abort(call: number): void;
  /** Ends session `session` (drops its COG headers and warp plans). */
  stop(session: number): void;
}

/**
 * The reading Worker's API. Its only I/O is the {@link ParentFetch} it is connected to, so a Node test can drive it
 * over a MessageChannel.
 */
export function createReadWorkerApi(): ReadWorkerApi {
  let parent: ParentFetch | undefined;
  const sessions = new Map<number, DateReader>();
  const calls = new Map<number, AbortController>();
  let requests = 0;

  const fetchOf = (session: number): FetchFn => async (input, init) => {
    if (!parent) throw new Error('The reading Worker was not connected to its pipeline Worker.');
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const id = ++requests;
    let onAbort = () => undefined as void;
    // The parent aborts its request too, but the run is waiting on this rejection: give it at once.
    const aborted = new Promise<never>((_, reject) => (onAbort = () => {
      void Promise.resolve(parent?.abort(id)).catch(() => undefined);
      reject(signal?.reason);
    }));
    aborted.catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const headers = [...new Headers(init?.headers).entries()];
      const res = await Promise.race([parent.fetch(session, id, input, { method: init?.method ?? 'GET', headers }), aborted]);
      if (!res.ok) throw fromWireError(res.error);
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    connect(p) {
      parent = p;
    },
    start(session, setup) {
      sessions.get(session)?.close();
      sessions.set(session, createDateReader(setup, { fetch: fetchOf(session) }));
    },
    async read(session, date, dateIndex, call) {
      const controller = new AbortController();
      calls.set(call, controller);
      try {
        const reader = sessions.get(session);
        if (!reader) throw new Error(`Reading session ${session} was not started in this Worker.`);
        const result = await reader.read(date, dateIndex, controller.signal);
        return transfer(result, dateResultTransferables(result));
      } catch (err) {
        throw toWireError(err);
      } finally {
        calls.delete(call);
      }
    },
    abort(call) {
      calls.get(call)?.abort(new DOMException('The run was cancelled.', 'AbortError'));
    },
    stop(session) {
      sessions.get(session)?.close();
      sessions.delete(session);
    },
  };
}
