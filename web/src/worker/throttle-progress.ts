/**
 * Progress events thinned for the Worker boundary. The pipeline reports as often as it likes (the majority filter
 * about a hundred times in a fraction of a second, reading once per date), and every event forwarded is a
 * `postMessage` plus a re-render on the page; ten a second per stage is more than a progress bar can show.
 */
import type { ProgressEvent } from '../../../shared/contract/stages';

/** Least time between two forwarded events of the same stage, ms (stage starts and ends always pass). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Wraps `send` so that, within a stage, an event passes only if {@link PROGRESS_INTERVAL_MS} have gone by since the
 * last one passed. The first event of each stage and every event with fraction 0 or 1 always pass, so the page never
 * misses a stage change, a stage's opening message or its completion.
 *
 * @param now monotonic clock, ms (inject in tests). Default `performance.now`.
 * @example
 * run(request, env, { onProgress: throttleProgress((e) => port.postMessage(e)) });
 */
export function throttleProgress(send: (event: ProgressEvent) => void, now: () => number = () => performance.now()): (event: ProgressEvent) => void {
  let stage: string | undefined;
  let last = -Infinity;
  return (event) => {
    const t = now();
    const edge = event.stage !== stage || event.fraction <= 0 || event.fraction >= 1;
    if (!edge && t - last < PROGRESS_INTERVAL_MS) return;
    stage = event.stage;
    last = t;
    send(event);
  };
}
