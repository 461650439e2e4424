/**
 * The `datetime` search parameter, parsed the way DEA Explorer does (`cubedash/_stac.py` `_parse_time_range`):
 * - `a/b`: closed interval, both ends inclusive (Explorer queries `tstzrange(a, b, '[]')`);
 * - an open end is `..` or empty (`2023-01-01/..`, `/2023-01-01`); both open means no time filter;
 * - a single instant at midnight (or a bare date) means that whole UTC day; any other instant means that
 *   second (`[t, t + 1 s]`), which is what Explorer does instead of an exact match.
 * Instants are RFC 3339; a bare `YYYY-MM-DD` and a missing zone (read as UTC) are accepted as Explorer's
 * `parse_time` accepts them. Anything else is a 400 naming the bad value.
 */
import { badRequest } from './errors';

/** Inclusive bounds in epoch milliseconds; `null` means open. */
export interface DatetimeRange {
  start: number | null;
  end: number | null;
}

const DAY_MS = 86_400_000;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

interface Instant {
  ms: number;
  /** True for a bare date or a time of exactly 00:00:00. */
  midnight: boolean;
}

function parseInstant(raw: string, whole: string): Instant {
  const m = INSTANT.exec(raw);
  const invalid = () =>
    badRequest(
      `Invalid datetime ${JSON.stringify(whole)}: expected an RFC 3339 date-time (2023-01-04T07:52:11Z), a date ` +
        `(2023-01-04) or an interval a/b with '..' or nothing for an open end`,
    );
  if (!m) throw invalid();
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = Math.round(Number(`0${frac || '.0'}`) * 1000);
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Reject 2023-02-30, 25:00 and the like (Date.UTC would roll them over silently).
  if (
    check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) || check.getUTCMinutes() !== Number(mi) || check.getUTCSeconds() !== Number(s)
  ) {
    throw invalid();
  }
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMin = (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3]));
  }
  return { ms: local - offsetMin * 60_000, midnight: h === '00' && mi === '00' && s === '00' && ms === 0 };
}

/**
 * Parses a `datetime` value. Returns `null` for "no time filter" (empty, or `../..`).
 *
 * @throws GeoCropError `STAC_BAD_PARAMETER` (400) for anything unparseable or a start after the end.
 * @example
 * parseDatetimeRange('2023-01-01/..'); // { start: 1672531200000, end: null }
 */
export function parseDatetimeRange(value: string): DatetimeRange | null {
  const raw = value.trim();
  if (raw === '') return null;
  const parts = raw.split('/');
  if (parts.length > 2) throw badRequest(`Invalid datetime ${JSON.stringify(value)}: an interval has exactly one '/'`);
  if (parts.length === 1) {
    const t = parseInstant(raw, value);
    return { start: t.ms, end: t.ms + (t.midnight ? DAY_MS : 1000) };
  }
  const [a, b] = parts.map((p) => p.trim());
  const open = (p: string) => p === '' || p === '..';
  const start = open(a) ? null : parseInstant(a, value).ms;
  const end = open(b) ? null : parseInstant(b, value).ms;
  if (start === null && end === null) return null;
  if (start !== null && end !== null && start > end) {
    throw badRequest(`Invalid datetime ${JSON.stringify(value)}: the interval starts after it ends`);
  }
  return { start, end };
}
