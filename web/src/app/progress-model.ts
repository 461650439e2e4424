/**
 * Turns a run's progress events into what the progress panel shows: one row per stage (waiting, running, done) with
 * its latest note, and an overall fraction weighted by how long each stage typically takes.
 */
import type { ProgressEvent, Stage } from '../../../shared/contract/stages';

/** Stages a browser run goes through, with their labels and typical share of the run time. */
export const BROWSER_STAGES: readonly { stage: Stage; label: string; weight: number }[] = [
  { stage: 'fetch_stac', label: 'Find scenes', weight: 0.05 },
  { stage: 'build_features', label: 'Read scenes and build features', weight: 0.8 },
  { stage: 'load_baseline', label: 'Baseline crop mask', weight: 0.02 },
  { stage: 'infer', label: 'Classify', weight: 0.08 },
  { stage: 'smooth', label: 'Smooth', weight: 0.02 },
  { stage: 'export_cog', label: 'Write files', weight: 0.03 },
];

/** One row of the panel. */
export interface StageRow {
  stage: Stage;
  label: string;
  state: 'waiting' | 'running' | 'done';
  fraction: number;
  message?: string;
  detail?: Record<string, number | string>;
}

/** The panel's state. */
export interface ProgressState {
  rows: StageRow[];
  /** 0..1 over the whole run. */
  overall: number;
}

/** The state before any event. */
export function initialProgress(): ProgressState {
  return { rows: BROWSER_STAGES.map(({ stage, label }) => ({ stage, label, state: 'waiting', fraction: 0 })), overall: 0 };
}

/**
 * Folds one event in. Stages run in order, so an event of a later stage marks every earlier one done (a stage may
 * send no final event, e.g. when the baseline is skipped).
 */
export function applyProgress(state: ProgressState, e: ProgressEvent): ProgressState {
  const at = state.rows.findIndex((r) => r.stage === e.stage);
  if (at < 0) return state;
  const rows = state.rows.map((r, i): StageRow => {
    if (i < at) return r.state === 'done' ? r : { ...r, state: 'done', fraction: 1 };
    if (i > at) return r;
    const fraction = Math.max(r.fraction, e.fraction);
    return { ...r, state: fraction >= 1 ? 'done' : 'running', fraction, message: e.message ?? r.message, detail: e.detail ?? r.detail };
  });
  const overall = rows.reduce((s, r, i) => s + BROWSER_STAGES[i].weight * r.fraction, 0) / BROWSER_STAGES.reduce((s, b) => s + b.weight, 0);
  return { rows, overall: Math.min(1, overall) };
}

