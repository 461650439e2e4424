import { describe, expect, it } from 'vitest';
import { makeEnsemble, makeLearner, predictProba } from './classifier';
import { modelFromJson, modelToJson } from './serialize';
import { gaussianBlobs } from './synthetic';

describe('model JSON', () => {
  const d = gaussianBlobs(150, 4, 3, 5, 1.5);
  const fit = (a: 'forest' | 'boosted' | 'mlp') => makeLearner(a, { forest: { nTrees: 3 }, boosted: { nRounds: 3 }, mlp: { maxEpochs: 3 } }).fit(d.x, d.y, 3, 0);

  it('round-trips every model kind through JSON text exactly', () => {
    const model = makeEnsemble([fit('forest'), fit('boosted'), fit('mlp')]);
    const back = modelFromJson(JSON.parse(JSON.stringify(modelToJson(model))));
    expect(back).toEqual(model);
    expect(predictProba(back, d.x)).toEqual(predictProba(model, d.x));
  });

  it('rejects malformed JSON with the offending field', () => {
    const json = JSON.parse(JSON.stringify(modelToJson(fit('forest'))));
    json.trees[1].left.pop();
    expect(() => modelFromJson(json)).toThrow('model JSON: trees[1] arrays disagree in length');
    expect(() => modelFromJson({ kind: 'svm', nFeatures: 1, nClasses: 2 })).toThrow(/unknown kind "svm"/);
    expect(() => modelFromJson({ kind: 'mlp', nFeatures: 1, nClasses: 2, mean: ['a'] })).toThrow(/mean must be an array of numbers/);
  });
});
