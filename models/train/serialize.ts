/**
 * Models as JSON: typed arrays become number arrays and come back as the same typed arrays. Float32 values are
 * written as the shortest decimal of their float64 widening, which `Math.fround` (Float32Array) restores
 * exactly, so a model read back predicts bit-identically.
 */
import type { ClassifierModel, DenseLayer, FlatTree } from './types';

/** JSON form of a model: the same shape with arrays in place of typed arrays. */
export type ModelJson = Record<string, unknown> & { kind: ClassifierModel['kind'] };

const plain = (a: ArrayLike<number>): number[] => Array.from(a);

function treeToJson(t: FlatTree) {
  return { feature: plain(t.feature), threshold: plain(t.threshold), left: plain(t.left), right: plain(t.right), value: plain(t.value), outputs: t.outputs };
}

/** A JSON-ready copy of a model. */
export function modelToJson(model: ClassifierModel): ModelJson {
  switch (model.kind) {
    case 'forest':
      return { ...model, trees: model.trees.map(treeToJson) };
    case 'boosted':
      return { ...model, baseScore: plain(model.baseScore), treeClass: plain(model.treeClass), trees: model.trees.map(treeToJson) };
    case 'mlp':
      return {
        ...model,
        mean: plain(model.mean),
        std: plain(model.std),
        layers: model.layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, weights: plain(l.weights), bias: plain(l.bias) })),
      };
    case 'ensemble':
      return { ...model, weights: plain(model.weights), members: model.members.map(modelToJson) };
  }
}

type Rec = Record<string, unknown>;

function record(v: unknown, what: string): Rec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`model JSON: ${what} must be an object`);
  return v as Rec;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`model JSON: ${what} must be an array`);
  return v;
}

function numbers(v: unknown, what: string): number[] {
  const a = list(v, what);
  if (a.some((x) => typeof x !== 'number')) throw new TypeError(`model JSON: ${what} must be an array of numbers`);
  return a as number[];
}

function treeFromJson(value: unknown, i: number): FlatTree {
  const t = record(value, `trees[${i}]`);
  const tree: FlatTree = {
    feature: Int32Array.from(numbers(t.feature, `trees[${i}].feature`)),
    threshold: Float32Array.from(numbers(t.threshold, `trees[${i}].threshold`)),
    left: Int32Array.from(numbers(t.left, `trees[${i}].left`)),
    right: Int32Array.from(numbers(t.right, `trees[${i}].right`)),
    value: Float32Array.from(numbers(t.value, `trees[${i}].value`)),
    outputs: Number(t.outputs),
  };
  const n = tree.feature.length;
  if (tree.threshold.length !== n || tree.left.length !== n || tree.right.length !== n || tree.value.length !== n * tree.outputs) {
    throw new TypeError(`model JSON: trees[${i}] arrays disagree in length`);
  }
  return tree;
}

/** Rebuilds a model written by {@link modelToJson} (after `JSON.parse`); throws `TypeError` on a malformed one. */
export function modelFromJson(value: unknown): ClassifierModel {
  const json = record(value, 'model');
  const base = { nFeatures: Number(json.nFeatures), nClasses: Number(json.nClasses) };
  if (!(base.nFeatures > 0 && base.nClasses > 0)) throw new TypeError('model JSON: nFeatures and nClasses must be positive');
  switch (json.kind) {
    case 'forest':
      return { kind: 'forest', ...base, trees: list(json.trees, 'trees').map(treeFromJson) };
    case 'boosted':
      return {
        kind: 'boosted',
        ...base,
        baseScore: Float32Array.from(numbers(json.baseScore, 'baseScore')),
        treeClass: Int32Array.from(numbers(json.treeClass, 'treeClass')),
        trees: list(json.trees, 'trees').map(treeFromJson),
      };
    case 'mlp':
      return {
        kind: 'mlp',
        ...base,
        mean: Float32Array.from(numbers(json.mean, 'mean')),
        std: Float32Array.from(numbers(json.std, 'std')),
        layers: list(json.layers, 'layers').map((v, i): DenseLayer => {
          const l = record(v, `layers[${i}]`);
          return {
            inputs: Number(l.inputs),
            outputs: Number(l.outputs),
            weights: Float32Array.from(numbers(l.weights, `layers[${i}].weights`)),
            bias: Float32Array.from(numbers(l.bias, `layers[${i}].bias`)),
          };
        }),
      };
    case 'ensemble':
      return { kind: 'ensemble', ...base, weights: Float32Array.from(numbers(json.weights, 'weights')), members: list(json.members, 'members').map(modelFromJson) };
    default:
      throw new TypeError(`model JSON: unknown kind ${JSON.stringify(json.kind)}`);
  }
}
