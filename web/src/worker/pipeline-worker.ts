// The pipeline's module Worker: nothing but the API object, exposed over comlink (see pipeline-api.ts).
import { expose } from 'comlink';
import { createPipelineApi, workerPlatform } from './pipeline-api';

// onnxruntime-web is bundled into this script, and its wasm threads are Workers of this same script named
// "em-pthread": those run onnxruntime's thread loop only and must not answer the page's messages.
if (!self.name.startsWith('em-pthread')) expose(createPipelineApi(workerPlatform()));
