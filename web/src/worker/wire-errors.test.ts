import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import { fromWireError, isWireError, toWireError } from './wire-errors';

/** What the page receives: the payload after a structured clone, as postMessage delivers it. */
const across = (err: unknown): Error => fromWireError(structuredClone(toWireError(err)));

describe('errors across the Worker boundary', () => {
  it('rebuilds a GeoCropError with its code, message and details', () => {
    const back = across(new GeoCropError('NO_SCENES', 'No scenes for 2019/20.', { year: 2019, collections: ['s2_l2a_c1'] }));
    expect(back).toBeInstanceOf(GeoCropError);
    expect(back).toMatchObject({ code: 'NO_SCENES', message: 'No scenes for 2019/20.', details: { year: 2019, collections: ['s2_l2a_c1'] } });
    expect((back as GeoCropError).status).toBe(404);
  });

  it('rebuilds an AbortError as a DOMException, keeping a custom reason message', () => {
    const back = across(new DOMException('The run was cancelled.', 'AbortError'));
    expect(back).toBeInstanceOf(DOMException);
    expect(back.name).toBe('AbortError');
    expect(back.message).toBe('The run was cancelled.');
  });

  it('keeps the name, message and Worker stack of other errors, and wraps non-errors', () => {
    const err = new RangeError('Feature "x" is not in the stack');
    const back = across(err);
    expect(back).not.toBeInstanceOf(GeoCropError);
    expect([back.name, back.message, back.stack]).toEqual(['RangeError', err.message, err.stack]);
    expect(across('plain string')).toMatchObject({ name: 'Error', message: 'plain string' });
    // fetch's network failure stays a TypeError: readers test for it with instanceof.
    expect(across(new TypeError('Failed to fetch'))).toBeInstanceOf(TypeError);
  });

  it('passes through what is not a payload (comlink rebuilds Errors itself)', () => {
    const err = new Error('worker crashed');
    expect(fromWireError(err)).toBe(err);
    expect(fromWireError({ kind: 'geocrop' }).message).toBe('[object Object]');
    expect(isWireError({ kind: 'abort', message: 'x' })).toBe(true);
    expect(isWireError({ kind: 'other', message: 'x' })).toBe(false);
    expect(isWireError(null)).toBe(false);
  });
});
