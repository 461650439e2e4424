/**
 * Season and year rules. A season is named by the year it starts in: the `summer` season `Y` runs from
 * 1 September of `Y` to 31 May of `Y + 1` (UTC), which covers Zimbabwe's Nov–Mar rains and the harvest.
 */
import { GeoCropError } from './errors';

/** Seasons GeoCrop knows. Only `summer` (Sep 1 → May 31) for now. */
export const SEASONS = ['summer'] as const;
/** A season name. */
export type Season = (typeof SEASONS)[number];

/** First season year: Sentinel-2 L2A in Digital Earth Africa starts in 2017. */
export const FIRST_SEASON_YEAR = 2017;

/** The dates of one season. `start`/`end` are ISO calendar dates (UTC); the `Date`s are the exact instants. */
export interface SeasonWindow {
  /** First day, e.g. `2022-09-01`. */
  start: string;
  /** Last day, e.g. `2023-05-31`. */
  end: string;
  /** Start of the first day, 00:00:00.000 UTC. */
  startDate: Date;
  /** End of the last day, 23:59:59.999 UTC. */
  endDate: Date;
}

/** One calendar month of a season. */
export interface SeasonMonth {
  year: number;
  /** 1–12. */
  month: number;
  /** E.g. `Sep 2022`. */
  label: string;
  /** First day, ISO date, e.g. `2022-09-01`. */
  start: string;
  /** Last day, ISO date, e.g. `2022-09-30`. */
  end: string;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SUMMER = { startMonth: 9, endMonth: 5, months: 9 } as const;

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (year: number, month: number, day: number): string => `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function checkSeason(season: string): asserts season is Season {
  if (!(SEASONS as readonly string[]).includes(season)) {
    throw new GeoCropError('UNSUPPORTED_SEASON', `Season "${season}" is not supported; use ${SEASONS.map((s) => `"${s}"`).join(', ')} (Sep 1 → May 31).`, { season });
  }
}

function checkIntegerYear(year: number): void {
  if (!Number.isInteger(year)) {
    throw new GeoCropError('INVALID_REQUEST', `The year must be a whole number such as 2022 (got ${year}).`, { year });
  }
}

/**
 * The date window of season `year`.
 *
 * @example
 * seasonWindow(2022); // { start: '2022-09-01', end: '2023-05-31', startDate, endDate: 2023-05-31T23:59:59.999Z }
 */
export function seasonWindow(year: number, season: Season = 'summer'): SeasonWindow {
  checkIntegerYear(year);
  checkSeason(season);
  const endYear = year + 1;
  const lastDay = daysInMonth(endYear, SUMMER.endMonth);
  return {
    start: isoDate(year, SUMMER.startMonth, 1),
    end: isoDate(endYear, SUMMER.endMonth, lastDay),
    startDate: new Date(Date.UTC(year, SUMMER.startMonth - 1, 1)),
    endDate: new Date(Date.UTC(endYear, SUMMER.endMonth - 1, lastDay, 23, 59, 59, 999)),
  };
}

/** The calendar months of season `year`, in order: Sep `year` … May `year + 1` (9 months). */
export function seasonMonths(year: number, season: Season = 'summer'): SeasonMonth[] {
  checkIntegerYear(year);
  checkSeason(season);
  const months: SeasonMonth[] = [];
  for (let i = 0; i < SUMMER.months; i++) {
    const m0 = SUMMER.startMonth - 1 + i;
    const y = year + Math.floor(m0 / 12);
    const month = (m0 % 12) + 1;
    months.push({ year: y, month, label: `${MONTH_NAMES[month - 1]} ${y}`, start: isoDate(y, month, 1), end: isoDate(y, month, daysInMonth(y, month)) });
  }
  return months;
}

/** The latest season year that has started at `now` (a season `Y` starts on Sep 1 of `Y`, UTC). */
export function latestStartedSeason(now: Date = new Date()): number {
  const y = now.getUTCFullYear();
  return now.getTime() >= Date.UTC(y, SUMMER.startMonth - 1, 1) ? y : y - 1;
}

/**
 * Checks that season `year` can be mapped: from {@link FIRST_SEASON_YEAR} to the latest season that has started
 * (it may still be in progress). Returns the year.
 *
 * @param now the current instant; inject it in tests.
 * @throws {GeoCropError} `YEAR_TOO_EARLY` or `YEAR_NOT_STARTED` (`INVALID_REQUEST` for a non-integer).
 * @example
 * validateYear(2026, new Date('2026-11-23')); // 2026
 */
export function validateYear(year: number, now: Date = new Date()): number {
  checkIntegerYear(year);
  const latest = latestStartedSeason(now);
  const range = latest >= FIRST_SEASON_YEAR ? `choose ${FIRST_SEASON_YEAR}–${latest}` : `no season is available yet`;
  if (year < FIRST_SEASON_YEAR) {
    throw new GeoCropError(
      'YEAR_TOO_EARLY',
      `The ${year} season is before Sentinel-2 L2A data in Digital Earth Africa (first season ${FIRST_SEASON_YEAR}); ${range}.`,
      { year, minYear: FIRST_SEASON_YEAR, maxYear: latest },
    );
  }
  if (year > latest) {
    throw new GeoCropError('YEAR_NOT_STARTED', `The ${year} season starts on ${seasonWindow(year).start}; ${range}.`, {
      year,
      minYear: FIRST_SEASON_YEAR,
      maxYear: latest,
    });
  }
  return year;
}
