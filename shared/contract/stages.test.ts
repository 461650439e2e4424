import { describe, expect, expectTypeOf, it } from 'vitest';
import { STAGES, isStage, type ProgressEvent, type Stage } from './stages';

describe('STAGES', () => {
  it('lists the job stages in order', () => {
    expect(STAGES).toEqual(['fetch_stac', 'build_features', 'load_baseline', 'infer', 'smooth', 'export_cog', 'upload', 'done']);
    expectTypeOf<Stage>().toEqualTypeOf<(typeof STAGES)[number]>();
  });

  it('recognises stage names that crossed a boundary', () => {
    expect(isStage('infer')).toBe(true);
    expect(isStage('load_dw')).toBe(false);
    expect(isStage(3)).toBe(false);
  });

  it('progress events are plain JSON', () => {
    const e: ProgressEvent = { stage: 'fetch_stac', fraction: 0.5, message: 'Page 2 of 4', detail: { items: 40, collection: 's2_l2a_c1' } };
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
