/**
 * A valid manifest JSON for given model bytes, for tests and examples: every required field filled with
 * plausible values, overridable per field.
 */
import { featureOrderHash } from '../../contract/feature-order';
import { sha256Hex } from '../sha256';

/** What {@link manifestJsonFor} needs to know about the model. */
export interface ManifestFixtureOptions {
  bytes: Uint8Array;
  features: readonly string[];
  /** Probability-column labels, in column order. */
  labels: readonly number[] | readonly string[];
  /** Default `tensor`. */
  format?: 'tensor' | 'zipmap';
  /** Default: one class per label, code = index + 10 (so codes ≠ column indices), label = the column label. */
  classes?: readonly Record<string, unknown>[];
  /** Field overrides merged last (shallow). */
  overrides?: Record<string, unknown>;
}

/** A manifest JSON object (not parsed) whose hash, size, features and labels match `bytes`. */
export async function manifestJsonFor(o: ManifestFixtureOptions): Promise<Record<string, unknown>> {
  return {
    schemaVersion: 1,
    id: 'test-model',
    version: '1.0.0',
    task: 'crop-type',
    classes: o.classes ?? o.labels.map((label, i) => ({ code: 10 + i, name: `class-${i}`, label })),
    features: [...o.features],
    featureOrder: { version: 'custom', hash: featureOrderHash(o.features) },
    input: { name: 'features' },
    output: { probabilities: 'probabilities', format: o.format ?? 'tensor', labels: [...o.labels] },
    training: { description: 'synthetic test model', dataSha256: '0'.repeat(64), samples: 0 },
    metrics: { overallAccuracy: 0.5 },
    licence: 'CC0-1.0',
    created: '2026-11-23',
    onnx: { sha256: await sha256Hex(o.bytes), bytes: o.bytes.length },
    ...o.overrides,
  };
}
