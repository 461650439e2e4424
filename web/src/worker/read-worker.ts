// A reading Worker of the pipeline Worker's pool (read-pool.ts): nothing but the API object, exposed over comlink.
import { expose } from 'comlink';
import { createReadWorkerApi } from './read-worker-api';

expose(createReadWorkerApi());
