/**
 * HTTP building blocks of the server: the demo object store with S3 Range semantics, fault injection, and the
 * cross-origin isolated PWA. The app that assembles them lives in `server/` (see each export's `@example`).
 */
export { parseRange, contentRange, MAX_RANGES, type ByteRange, type RangeRequest } from './byte-ranges';
export { contentTypeFor, COG_CONTENT_TYPE } from './content-type';
export { composeTransforms, type ByteTransform } from './file-body';
export {
  createFaultInjector,
  faultRoutes,
  faultSettingsSchema,
  NO_FAULTS,
  DEFAULT_FAULT_PREFIXES,
  TRUNCATE_HALF,
  CORRUPT_XOR,
  type FaultInjector,
  type FaultSettings,
} from './faults';
export { publicReadCors, PUBLIC_READ_HEADERS } from './public-cors';
export { sendFileRange, serveFiles, parseObjectPath, OBJECT_CACHE_CONTROL, type SendFileOptions, type ServeFilesOptions } from './range-files';
export { safePathSegments } from './safe-path';
export { staticWeb, crossOriginIsolation, ISOLATION_HEADERS, WEB_CACHE, type StaticWebOptions } from './static-web';
