/**
 * Job stage names and progress events. The names and their order follow the original job contract (which called
 * the baseline stage `load_dw`; the baseline is no longer Dynamic World, hence `load_baseline`).
 */

/** The stages of a job, in the order they run. */
export const STAGES = ['fetch_stac', 'build_features', 'load_baseline', 'infer', 'smooth', 'export_cog', 'upload', 'done'] as const;

/** One job stage name. */
export type Stage = (typeof STAGES)[number];

/** True if `value` is one of {@link STAGES} (use it on events that crossed a worker or HTTP boundary). */
export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** A progress report: plain data, safe to `postMessage` or send as JSON. */
export interface ProgressEvent {
  /** The stage running. */
  stage: Stage;
  /** Progress within the stage, 0..1 (1 = stage finished). */
  fraction: number;
  /** A short human-readable note, e.g. `Read 12 of 40 scenes`. */
  message?: string;
  /** Numbers or strings worth showing or logging, e.g. `{ scenes: 40 }`. Units belong in the key (`bytes`, `ms`). */
  detail?: Record<string, number | string>;
}
