/** SHA-256 through Web Crypto, which browsers (secure contexts) and Node ≥ 20 both provide as `crypto.subtle`. */
import { GeoCropError } from '../contract/errors';

/**
 * Lower-case hex SHA-256 of `bytes`.
 *
 * @throws GeoCropError `INTERNAL` when `crypto.subtle` is missing (a browser page not served over https/localhost).
 * @example
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new GeoCropError('INTERNAL', 'SHA-256 needs crypto.subtle, which browsers only offer in secure contexts (https or localhost).');
  // digest() rejects views on a SharedArrayBuffer; copy those (model bytes are rarely shared).
  const input = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : Uint8Array.from(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', input));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
