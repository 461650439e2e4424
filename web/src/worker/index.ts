/**
 * The pipeline Worker as the page uses it. Only the client side is exported: the Worker's own modules
 * (`pipeline-api.ts`, which bundles onnxruntime-web) must stay out of the page's bundle.
 */
export { createPipelineClient, startPipelineWorker, type PipelineClient, type PipelineRunOptions } from './pipeline-client';
export type { DataSource, PreparedModel } from './pipeline-api';
export { fromWireError, isWireError, type WireError } from './wire-errors';
