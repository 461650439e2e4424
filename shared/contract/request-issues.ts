/**
 * Turns zod issues into one {@link GeoCropError} whose message names every bad field by its path and says what is
 * expected. Internal to `shared/contract`.
 */
import type { z } from 'zod';
import { suggest } from './did-you-mean';
import { GeoCropError, type ErrorCode } from './errors';

/** Per-schema knowledge used to word the messages. Paths are dotted; array indices are written `*`. */
export interface FieldGuide {
  /** What each field expects, in words, keyed by path (`''` is the whole request). */
  expected: Readonly<Record<string, string>>;
  /** The field names of each object, keyed by the object's path. */
  known: Readonly<Record<string, readonly string[]>>;
  /** Common wrong names → the right one (relative to the object, or a full path containing a dot). */
  aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Error code for problems in a top-level field, when more specific than `INVALID_REQUEST`. */
  codes: Readonly<Record<string, ErrorCode>>;
}

/** One problem, as listed in the error's `details.issues`. */
export interface RequestIssue {
  path: string;
  code: ErrorCode;
  message: string;
  suggestion?: string;
}

type Segment = PropertyKey;

/** `['outputs', 'indices', 1]` → `outputs.indices[1]`. */
export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out ? '.' : ''}${String(seg)}`;
  return out;
}

const guideKey = (path: readonly Segment[]): string => path.map((s) => (typeof s === 'number' ? '*' : String(s))).join('.');

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function unknownFieldIssues(issue: z.core.$ZodIssueUnrecognizedKeys, guide: FieldGuide): RequestIssue[] {
  const parent = guideKey(issue.path);
  const known = guide.known[parent] ?? [];
  return issue.keys.map((key) => {
    const path = formatPath([...issue.path, key]);
    const hit = suggest(key, known, guide.aliases[parent]);
    const full = hit === undefined ? undefined : hit.includes('.') || !parent ? hit : `${formatPath(issue.path)}.${hit}`;
    const message = full !== undefined
      ? `Unknown field "${path}" — did you mean "${full}"?`
      : `Unknown field "${path}"; remove it (allowed here: ${known.join(', ')}).`;
    return { path, code: 'UNKNOWN_FIELD' as const, message, ...(full !== undefined ? { suggestion: full } : {}) };
  });
}

function fieldIssue(issue: z.core.$ZodIssue, input: unknown, guide: FieldGuide): RequestIssue {
  const path = formatPath(issue.path);
  const top = issue.path.length > 0 ? String(issue.path[0]) : '';
  const code = guide.codes[top] ?? 'INVALID_REQUEST';
  if (issue.code === 'custom') return { path, code, message: issue.message };
  const expected = guide.expected[guideKey(issue.path)];
  const value = valueAt(input, issue.path);
  const message = !path
    ? `The job request must be ${expected ?? 'a JSON object'} (got ${describe(value)}).`
    : value === undefined
      ? `Missing field "${path}": expected ${expected ?? issue.message}.`
      : `Field "${path}" must be ${expected ?? issue.message} (got ${describe(value)}).`;
  return { path, code, message };
}

/**
 * One error for all the issues of a failed parse. `UNKNOWN_FIELD` if any field is unknown; otherwise the single
 * specific code all issues share (e.g. `INVALID_KERNEL`), else `INVALID_REQUEST`. The message lists every
 * problem; `details.issues` has them as {@link RequestIssue}s.
 */
export function requestError(issues: readonly z.core.$ZodIssue[], input: unknown, guide: FieldGuide): GeoCropError {
  const list: RequestIssue[] = issues.flatMap((i) => (i.code === 'unrecognized_keys' ? unknownFieldIssues(i, guide) : [fieldIssue(i, input, guide)]));
  list.sort((a, b) => Number(b.code === 'UNKNOWN_FIELD') - Number(a.code === 'UNKNOWN_FIELD'));
  const codes = new Set(list.map((i) => i.code));
  const code: ErrorCode = codes.has('UNKNOWN_FIELD') ? 'UNKNOWN_FIELD' : codes.size === 1 ? list[0].code : 'INVALID_REQUEST';
  return new GeoCropError(code, list.map((i) => i.message).join(' '), { issues: list });
}
