import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import type { ProgressEvent } from '../../shared/contract/stages';
import { describeFailure, progressPrinter } from './report';

describe('progressPrinter', () => {
  it('prints stage starts and ends, and within a stage only 10 % steps at least 500 ms apart', () => {
    const lines: string[] = [];
    let t = 0;
    const print = progressPrinter((l) => lines.push(l), () => t);
    const at = (ms: number, e: ProgressEvent) => {
      t = ms;
      print(e);
    };
    at(0, { stage: 'fetch_stac', fraction: 0, message: 'Searching' });
    at(100, { stage: 'fetch_stac', fraction: 1, message: '40 scenes' });
    for (let d = 1; d <= 50; d++) at(120 + d * 40, { stage: 'build_features', fraction: d / 50, message: `Read ${d} of 50 dates` });
    for (let k = 1; k <= 50; k++) at(2300, { stage: 'smooth', fraction: k / 50 });
    expect(lines.map((l) => l.trim())).toEqual([
      '0.0s  fetch_stac       0%  Searching',
      '0.1s  fetch_stac     100%  40 scenes',
      '0.2s  build_features   2%  Read 1 of 50 dates',
      '0.7s  build_features  28%  Read 14 of 50 dates',
      '1.2s  build_features  54%  Read 27 of 50 dates',
      '1.7s  build_features  80%  Read 40 of 50 dates',
      '2.1s  build_features 100%  Read 50 of 50 dates',
      '2.3s  smooth           2%',
      '2.3s  smooth         100%',
    ]);
  });
});

describe('describeFailure', () => {
  it('prints CODE: message, exit 2 for flag errors and 1 for the rest', () => {
    expect(describeFailure(new GeoCropError('INVALID_REQUEST', 'Unknown flag --x.', { usage: true }))).toEqual({ line: 'INVALID_REQUEST: Unknown flag --x.', code: 'INVALID_REQUEST', exitCode: 2, usage: true });
    expect(describeFailure(new GeoCropError('NO_SCENES', 'No scenes.'))).toMatchObject({ line: 'NO_SCENES: No scenes.', exitCode: 1, usage: false });
  });

  it('exits 130 when interrupted, and keeps the stack of an unexpected error', () => {
    expect(describeFailure(new DOMException('aborted', 'AbortError'))).toMatchObject({ code: 'ABORTED', exitCode: 130 });
    const bug = describeFailure(new TypeError('x is undefined'));
    expect(bug.code).toBe('INTERNAL');
    expect(bug.line).toMatch(/^INTERNAL: TypeError: x is undefined\n\s+at /);
  });
});

