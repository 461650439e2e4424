/**
 * Offline use of the pipeline: answers saved in IndexedDB and a caching fetch in front of the network, so an area
 * computed (or saved) once computes again without one. The pipeline Worker wires it in (web/src/worker); the page
 * reaches it through the pipeline client (`saveForOffline`, `offlineStats`, `clearOffline`, `setOfflineLimit`).
 */
export { createCachingFetch, notSavedForOffline, type CacheCounters, type CachingFetch, type CachingFetchOptions, type MissingRequest } from './caching-fetch';
export { createIdbResponseStore, OFFLINE_DB_NAME, type IdbStoreOptions } from './idb-response-store';
export { describeRequest, proxyUnwrapper, type CacheRequest } from './request-key';
export { createMemoryResponseStore, DEFAULT_MAX_BYTES, entrySize, storageError, type ResponseStore, type StoredResponse, type StoreOptions, type StoreStats } from './response-store';
export { readRunInputs, type RunInputs } from './run-inputs';
