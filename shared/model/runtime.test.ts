import { describe, expect, it } from 'vitest';
import { buildMlp, buildTreeEnsembleClassifier, inspectOnnx } from './onnx';
import { configureWasmThreads, graphSupportsWebGpu, planRuntime, wasmThreadCount } from './runtime';
import { prng, randomMlp } from './testing';

const mlp = inspectOnnx(buildMlp({ nFeatures: 4, layers: randomMlp(prng(1), [4, 8, 3]), scaler: { mean: [0, 0, 0, 0], std: [1, 1, 1, 1] } }));
const trees = inspectOnnx(buildTreeEnsembleClassifier({ nFeatures: 2, classLabels: [0, 1], trees: [[{ mode: 'LEAF', weights: [0.5, 0.5] }]] }));

describe('graphSupportsWebGpu', () => {
  it('is true for MLP (+ scaler) graphs and false for ai.onnx.ml tree ensembles', () => {
    expect(graphSupportsWebGpu(mlp)).toBe(true);
    expect(graphSupportsWebGpu(trees)).toBe(false);
  });
});

describe('wasmThreadCount', () => {
  it('is min(cores, 4) when cross-origin isolated, else 1', () => {
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(2);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 16 })).toBe(4);
    expect(wasmThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 0 })).toBe(1);
    expect(wasmThreadCount({ crossOriginIsolated: true, hardwareConcurrency: NaN })).toBe(1);
  });
});

describe('planRuntime', () => {
  const browser = { webgpuAdapter: true, crossOriginIsolated: true, hardwareConcurrency: 8 };
  it('prefers WebGPU (wasm fallback) for an MLP when an adapter exists', () => {
    expect(planRuntime(browser, mlp)).toMatchObject({ executionProviders: ['webgpu', 'wasm'], wasmThreads: 4 });
  });
  it('uses wasm for tree ensembles even with an adapter, and says why', () => {
    const plan = planRuntime(browser, trees);
    expect(plan.executionProviders).toEqual(['wasm']);
    expect(plan.reason).toMatch(/ai\.onnx\.ml/);
  });
  it('uses wasm without an adapter; one thread when not isolated', () => {
    expect(planRuntime({ webgpuAdapter: false, crossOriginIsolated: false, hardwareConcurrency: 8 }, mlp)).toMatchObject({ executionProviders: ['wasm'], wasmThreads: 1 });
  });
});

describe('configureWasmThreads', () => {
  it('sets ort.env.wasm.numThreads (integer, at least 1)', () => {
    const fake = { env: { wasm: {} as { numThreads?: number } } };
    configureWasmThreads(fake as never, 2.7);
    expect(fake.env.wasm.numThreads).toBe(2);
    configureWasmThreads(fake as never, 0);
    expect(fake.env.wasm.numThreads).toBe(1);
  });
});
