import { describe, expect, it } from 'vitest';
import { applyProgress, initialProgress } from './progress-model';

describe('progress model', () => {
  it('runs stages in order, marking earlier ones done when a later one reports', () => {
    let s = initialProgress();
    expect(s.rows.every((r) => r.state === 'waiting')).toBe(true);
    s = applyProgress(s, { stage: 'fetch_stac', fraction: 0.5, message: 'searching' });
    expect(s.rows[0]).toMatchObject({ state: 'running', fraction: 0.5, message: 'searching' });
    s = applyProgress(s, { stage: 'build_features', fraction: 0.25, message: 'Read 1 of 4 dates', detail: { bytes: 1000 } });
    expect(s.rows[0]).toMatchObject({ state: 'done', fraction: 1 });
    expect(s.rows[1]).toMatchObject({ state: 'running', fraction: 0.25, detail: { bytes: 1000 } });
    expect(s.overall).toBeGreaterThan(0.05);
    expect(s.overall).toBeLessThan(0.5);
    s = applyProgress(s, { stage: 'export_cog', fraction: 1 });
    expect(s.rows.every((r) => r.state === 'done')).toBe(true);
    expect(s.overall).toBeCloseTo(1, 10);
  });

  it('never moves a stage backwards and ignores stages the browser does not run', () => {
    let s = applyProgress(initialProgress(), { stage: 'infer', fraction: 0.8 });
    s = applyProgress(s, { stage: 'infer', fraction: 0.3 });
    expect(s.rows.find((r) => r.stage === 'infer')?.fraction).toBe(0.8);
    expect(applyProgress(s, { stage: 'upload', fraction: 0.5 })).toBe(s);
  });
});
