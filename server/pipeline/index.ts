/**
 * The pipeline on Node: the platform env, model bundles from `models/`, the demo world in-process, and the job
 * runner behind `npm run classify` (which the server's fallback runner can reuse).
 */
export { nodePipelineEnv, nodeDeflate, type NodeEnvOptions } from './node-env';
export { demoInProcess, ensureDemoWorld, DEMO_ORIGIN, type DemoSource, type EnsureWorldOptions } from './demo';
export { loadModel, type LoadedModel, type LoadModelOptions } from './model';
export { parseClassifyArgs, buildRequest, USAGE, RESOLUTIONS, type ClassifyArgs } from './args';
export { classifyJob, defaultS3Template, type ClassifyIo, type ClassifyOutcome } from './classify';
export { progressPrinter, formatSummary, describeFailure, type Failure } from './report';
