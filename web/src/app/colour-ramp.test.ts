import { describe, expect, it } from 'vitest';
import { CONFIDENCE_RAMP, INDEX_RAMP, rampColour, rampGradient } from './colour-ramp';

describe('colour ramps', () => {
  it('hits the stops, interpolates between them and clamps at the ends', () => {
    expect(rampColour(CONFIDENCE_RAMP, 0)).toEqual([68, 1, 84]);
    expect(rampColour(CONFIDENCE_RAMP, 1)).toEqual([253, 231, 37]);
    expect(rampColour(CONFIDENCE_RAMP, 2)).toEqual([253, 231, 37]);
    expect(rampColour(INDEX_RAMP, -1)).toEqual([140, 90, 50]);
    expect(rampColour(CONFIDENCE_RAMP, 0.125)).toEqual([64, 42, 112]);
    expect(rampColour(CONFIDENCE_RAMP, Number.NaN)).toBeUndefined();
  });
  it('describes the same stops as a CSS gradient', () => {
    expect(rampGradient(CONFIDENCE_RAMP)).toBe('linear-gradient(to right, rgb(68 1 84) 0.0%, rgb(59 82 139) 25.0%, rgb(33 145 140) 50.0%, rgb(94 201 98) 75.0%, rgb(253 231 37) 100.0%)');
  });
});
