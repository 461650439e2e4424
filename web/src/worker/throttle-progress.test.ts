import { describe, expect, it } from 'vitest';
import type { ProgressEvent, Stage } from '../../../shared/contract/stages';
import { PROGRESS_INTERVAL_MS, throttleProgress } from './throttle-progress';

describe('throttleProgress', () => {
  it('passes stage changes, starts and ends at once, and thins the rest to one per interval', () => {
    let clock = 0;
    const sent: string[] = [];
    const report = throttleProgress((e) => sent.push(`${e.stage}@${e.fraction}`), () => clock);
    const at = (t: number, stage: Stage, fraction: number) => {
      clock = t;
      report({ stage, fraction } satisfies ProgressEvent);
    };
    at(0, 'fetch_stac', 0);
    at(1, 'fetch_stac', 0.5); // too soon after the last one
    at(2, 'fetch_stac', 1);
    at(3, 'build_features', 0.01); // a new stage
    for (let i = 2; i <= 50; i++) at(3 + i * 10, 'build_features', i / 100);
    at(600, 'smooth', 0.2);
    at(601, 'done', 1);
    const features = sent.filter((s) => s.startsWith('build_features'));
    expect(sent.slice(0, 3)).toEqual(['fetch_stac@0', 'fetch_stac@1', 'build_features@0.01']);
    // 49 events over 490 ms: one every 100 ms.
    expect(features).toEqual(['build_features@0.01', 'build_features@0.1', 'build_features@0.2', 'build_features@0.3', 'build_features@0.4', 'build_features@0.5']);
    expect(sent.slice(-2)).toEqual(['smooth@0.2', 'done@1']);
    expect(PROGRESS_INTERVAL_MS).toBe(100);
  });
});
