/**
 * One run as the page sees it, progressively: the baseline crop mask at once, a coarse 80 m preview from a second
 * Worker (seconds), a 20 m one on devices with {@link REFINE_MIN_CORES} cores, then the 10 m result from the main
 * Worker replacing them (started once the 80 m preview is on the map, or after {@link PREVIEW_HEAD_START_MS}: on two
 * cores, both at once would make the preview as late as the full run); progress per stage; cancel; failures in plain
 * words; the finished run kept in the history by the main Worker. Plain TypeScript over injected pipeline clients, so
 * Node tests drive it with fakes and the browser test with the real Workers.
 */
import { isGeoCropError } from '../../../shared/contract/errors';
import type { JobRequestInput } from '../../../shared/contract/job';
import type { RunManifest } from '../../../shared/pipeline/types';
import type { CacheCounters, DataSource, PipelineClient, WorkerRunResult } from '../worker';
import { baselineDisplay, toDisplayResult, type ClassStyle, type DisplayResult } from './display-result';
import type { RunSummary } from './history-store';
import { applyProgress, initialProgress, type ProgressState } from './progress-model';

/** A failure, said for the person at the screen. */
export interface RunFailure {
  code: string;
  title: string;
  message: string;
}

/** Everything the page shows about the current run. */
export interface RunState {
  phase: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  request?: JobRequestInput;
  source?: DataSource;
  progress: ProgressState;
  /** What the map shows now: the preview until the full result replaces it. */
  display?: DisplayResult;
  /** The finished 10 m run. */
  manifest?: RunManifest;
  files?: Record<string, Uint8Array>;
  error?: RunFailure;
  /** Saving to the history failed (the run itself is fine). */
  historyError?: string;
  saved?: RunSummary;
  /** Where the 10 m run's data came from (saved on the device or the network). */
  cache?: CacheCounters;
  /** Why the preview failed (the full run goes on and reports its own failure). */
  previewError?: string;
  /** ms from start to the baseline on the map / to the preview / to the 20 m preview / to the full result. */
  baselineMs?: number;
  previewMs?: number;
  refineMs?: number;
  fullMs?: number;
}

const TITLES: Record<string, string> = {
  NO_SCENES: 'No satellite scenes for this area and season',
  ALL_CLOUDY: 'Too cloudy',
  READ_FAILED: 'Could not download the data',
  STAC_UNAVAILABLE: 'The scene catalogue is not answering',
  MODEL_NOT_FOUND: 'Model not found',
  MODEL_INVALID: 'The model could not be loaded',
  MODEL_FEATURE_MISMATCH: 'This model cannot run in the browser yet',
  STORAGE_FULL: 'Storage full',
};

/** Turns what a run threw into a title and a message saying what to do. */
export function describeFailure(err: unknown): RunFailure {
  if (isGeoCropError(err)) {
    const title = TITLES[err.code] ?? (err.code.startsWith('AOI_') ? 'The area cannot be mapped' : err.status < 500 ? 'The request was refused' : 'Something went wrong');
    return { code: err.code, title, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', title: 'Something went wrong', message: `${message}. Try again; if it keeps failing, reload the page.` };
}

/** Pixel size of the preview (and of the baseline shown before it), metres: COG overviews, a few seconds. */
export const PREVIEW_RESOLUTION = 80;

/**
 * Dates a preview reads at most (`thinDates`: the clearest of each stretch of the season). On the demo world's 5 km
 * area, 24 of ~44 clear dates give a preview that agrees with the 10 m map about as often as one from every date,
 * with 45 % fewer requests (`npm run bench` measures both; README).
 */
export const PREVIEW_MAX_DATES = 24;

/** Pixel size of the second preview, metres. */
export const REFINE_RESOLUTION = 20;

/**
 * Cores from which the 20 m preview runs. Each pipeline Worker reads on one reading Worker per core, so on two
 * cores a 20 m run beside the 10 m one only takes time from it: measured on this 2-core machine, the 5 km result
 * would land past its 30 s target; a tablet's 6–8 cores have room for both.
 */
export const REFINE_MIN_CORES = 4;

/** Longest wait for the preview before the 10 m run starts anyway, ms. */
export const PREVIEW_HEAD_START_MS = 15_000;

const isAbort = (err: unknown) => (err as Error | undefined)?.name === 'AbortError';

/** What the controller needs. */
export interface RunControllerDeps {
  /** Runs the full-resolution job, and the baseline alone while the preview computes (absent: no baseline first). */
  main: Pick<PipelineClient, 'run'> & Partial<Pick<PipelineClient, 'baseline'>>;
  /** Runs the preview alongside (absent: no preview). */
  preview?: Pick<PipelineClient, 'run'>;
  now?: () => number;
  /**
   * Logical cores of the device (`navigator.hardwareConcurrency`). With {@link REFINE_MIN_CORES} or more, a 20 m
   * preview runs in the preview Worker alongside the 10 m run and replaces the 80 m one.
   */
  cores?: number;
}

/** Start options of one run. */
export interface StartOptions {
  source: DataSource;
  /** The model's classes (colours for the map). */
  classes: readonly ClassStyle[];
  /** Also compute the 80 m preview (default true). */
  preview?: boolean;
}

/** Drives runs; subscribe to follow its {@link RunState}. */
export class RunController {
  private state: RunState = { phase: 'idle', progress: initialProgress() };
  private readonly listeners = new Set<() => void>();
  private controller?: AbortController;
  private readonly now: () => number;

  constructor(private readonly deps: RunControllerDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  getState = (): RunState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<RunState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Shows a stored run (from the history) as the current result. */
  show(display: DisplayResult, manifest: RunManifest, files: Record<string, Uint8Array>, saved: RunSummary): void {
    this.cancel();
    this.set({ phase: 'done', request: saved.request, source: saved.source, progress: initialProgress(), display, manifest, files, saved, error: undefined, historyError: undefined, baselineMs: undefined, previewMs: undefined, refineMs: undefined, previewError: undefined, fullMs: undefined, cache: undefined });
  }

  /** Cancels the run in progress (its Workers stop reading); no-op when idle. */
  cancel(): void {
    this.controller?.abort(new DOMException('Cancelled by the user.', 'AbortError'));
    this.controller = undefined;
  }

  /**
   * Runs `request`: the preview (when asked and a preview client exists) and the full job at once; resolves when the
   * full job ended (done, failed or cancelled — see the state).
   */
  async start(request: JobRequestInput, opts: StartOptions): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    const t0 = this.now();
    this.set({ phase: 'running', request, source: opts.source, progress: initialProgress(), display: undefined, manifest: undefined, files: undefined, error: undefined, historyError: undefined, saved: undefined, previewMs: undefined, previewError: undefined, fullMs: undefined, cache: undefined, baselineMs: undefined, refineMs: undefined });
    let fullDone = false;

    // The baseline first (one small read in the main Worker, idle until the preview is in): replaced by whatever
    // comes next. Its failures are the run's to report (a warning in the manifest), not the map's.
    this.deps.main.baseline?.(request, { source: opts.source, resolution: PREVIEW_RESOLUTION, signal }).then((b) => {
      if (b.outcome.layer && !this.state.display && this.controller === controller) {
        this.set({ display: baselineDisplay({ grid: b.grid, aoiMask: b.aoiMask, data: b.outcome.layer.data }, opts.classes), baselineMs: this.now() - t0 });
      }
    }, () => undefined);

    const previewClient = opts.preview !== false ? this.deps.preview : undefined;
    const live = () => !fullDone && !signal.aborted && this.controller === controller;
    const previewAt = (resolution: 80 | 20) => previewClient!.run(request, { source: opts.source, resolution, maxDates: PREVIEW_MAX_DATES, writeFiles: false, signal });
    const preview = previewClient
      ? previewAt(PREVIEW_RESOLUTION).then(
        (r) => {
          if (!live()) return;
          this.set({ display: toDisplayResult(r, opts.classes), previewMs: this.now() - t0 });
          // The sharper preview, beside the 10 m run (which starts now): only where the cores are there for both.
          if ((this.deps.cores ?? 1) >= REFINE_MIN_CORES) {
            previewAt(REFINE_RESOLUTION).then((fine) => {
              if (live()) this.set({ display: toDisplayResult(fine, opts.classes), refineMs: this.now() - t0 });
            }, () => undefined);
          }
        },
        (err: unknown) => {
          if (!isAbort(err) && live()) this.set({ previewError: describeFailure(err).message });
        },
      )
      : Promise.resolve();

    let result: WorkerRunResult;
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([preview, new Promise((resolve) => (timer = setTimeout(resolve, PREVIEW_HEAD_START_MS)))]);
      clearTimeout(timer);
      if (signal.aborted) throw signal.reason;
      result = await this.deps.main.run(request, {
        source: opts.source,
        // Stored by the Worker: serialising a large run into IndexedDB here would freeze the page.
        keep: true,
        signal,
        onProgress: (e) => {
          if (this.controller === controller) this.set({ progress: applyProgress(this.state.progress, e) });
        },
      });
    } catch (err) {
      // Superseded by a newer run: that run owns the state now.
      if (this.controller && this.controller !== controller) return;
      this.controller = undefined;
      this.set(signal.aborted ? { phase: 'cancelled' } : { phase: 'failed', error: describeFailure(err) });
      return;
    }
    fullDone = true;
    if (this.controller !== controller) return;
    this.controller = undefined;
    const display = toDisplayResult(result, opts.classes);
    const fullMs = this.now() - t0;
    const progress = applyProgress(this.state.progress, { stage: 'export_cog', fraction: 1 });
    this.set({ phase: 'done', display, manifest: result.manifest, files: result.files, fullMs, progress, cache: result.cache, saved: result.kept, historyError: result.keepError });
  }
}
