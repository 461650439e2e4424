import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('uses decimal units with one decimal', () => {
    expect([formatBytes(512), formatBytes(1500), formatBytes(27_695_493), formatBytes(2.5e9)]).toEqual(['512 B', '1.5 kB', '27.7 MB', '2.5 GB']);
  });
  it('shows a dash for what is not a size', () => {
    expect([formatBytes(Number.NaN), formatBytes(-1)]).toEqual(['–', '–']);
  });
});
