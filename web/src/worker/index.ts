/**
 * The pipeline Worker as the page uses it. Only the client side is exported: the Worker's own modules
 * (`pipeline-api.ts`, which bundles onnxruntime-web) must stay out of the page's bundle.
 */
export { createPipelineClient, startPipelineWorker, type PipelineClient, type PipelineRunOptions, type PipelineSaveOptions } from './pipeline-client';
export type { DataSource, OfflineSaveResult, PreparedModel, WorkerRunResult } from './pipeline-api';
export type { CacheCounters, StoreStats } from '../offline';
export { fromWireError, isWireError, type WireError } from './wire-errors';
