/**
 * Streaming response bodies read from an open file at explicit positions, optionally through a byte transform.
 *
 * The point of this module is what it does NOT do: it never reads a whole file. Each pull reads at most one chunk
 * at an absolute position with `FileHandle.read`, so answering a 100-byte range of a 50 MB COG reads 100 bytes,
 * and a slow client holds back reading through the stream's backpressure.
 */
import type { FileHandle } from 'node:fs/promises';
import { GeoCropError, abortError } from '../../shared/contract/errors';

/**
 * A view of a file that differs from its bytes on disk, applied while serving (used by fault injection to serve
 * truncated or corrupted COGs without copying files).
 */
export interface ByteTransform {
  /** Short, stable label; it is folded into the ETag so caches never mix transformed and real bytes. */
  readonly tag: string;
  /** Size the client sees, in bytes, given the real file size. Must not exceed `realSize`. */
  size(realSize: number): number;
  /** Rewrites, in place, a chunk whose first byte sits at absolute file offset `position`. */
  apply?(chunk: Uint8Array, position: number): void;
}

/** Chains transforms left to right; `undefined` when there is nothing to apply. */
export function composeTransforms(transforms: readonly ByteTransform[]): ByteTransform | undefined {
  if (transforms.length === 0) return undefined;
  if (transforms.length === 1) return transforms[0];
  return {
    tag: transforms.map((t) => t.tag).join('+'),
    size: (realSize) => transforms.reduce((size, t) => t.size(size), realSize),
    apply: (chunk, position) => {
      for (const t of transforms) t.apply?.(chunk, position);
    },
  };
}

/** One piece of a response body: literal bytes (e.g. a multipart header) or an inclusive byte range of the file. */
export type BodyPart = Uint8Array | { readonly start: number; readonly end: number };

/** Total length in bytes of a body made of `parts`: the exact `Content-Length`. */
export function bodyLength(parts: readonly BodyPart[]): number {
  let n = 0;
  for (const p of parts) n += p instanceof Uint8Array ? p.byteLength : p.end - p.start + 1;
  return n;
}

/** Largest single read; big enough for throughput, small enough that a stalled client pins little memory. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * A pull-based stream over `parts`. Takes ownership of `file`: it is closed when the stream ends, errors or is
 * cancelled (the Node adapter cancels it when the client disconnects), and when `signal` fires.
 */
export function fileBodyStream(
  file: FileHandle,
  parts: readonly BodyPart[],
  opts: { transform?: ByteTransform; signal?: AbortSignal; chunkBytes?: number } = {},
): ReadableStream<Uint8Array> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  let index = 0;
  let position = -1;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await file.close().catch(() => undefined);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (opts.signal?.aborted) throw abortError(opts.signal);
          while (index < parts.length) {
            const part = parts[index];
            if (part instanceof Uint8Array) {
              index++;
              controller.enqueue(part);
              return;
            }
            if (position < 0) position = part.start;
            if (position > part.end) {
              index++;
              position = -1;
              continue;
            }
            const length = Math.min(chunkBytes, part.end - position + 1);
            const buffer = new Uint8Array(length);
            const { bytesRead } = await file.read(buffer, 0, length, position);
            if (closed) return; // cancelled while the read was in flight
            // A file that shrank under us would otherwise leave the client waiting for bytes that never come.
            if (bytesRead === 0) throw new GeoCropError('READ_FAILED', `File ended at byte ${position}, before the ${part.end + 1} bytes promised in the response headers.`);
            const chunk = bytesRead < length ? buffer.subarray(0, bytesRead) : buffer;
            opts.transform?.apply?.(chunk, position);
            position += bytesRead;
            controller.enqueue(chunk);
            return;
          }
          await close();
          controller.close();
        } catch (err) {
          await close();
          throw err;
        }
      },
      async cancel() {
        await close();
      },
    },
    { highWaterMark: 1 },
  );
}
