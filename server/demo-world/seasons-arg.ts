import { FIRST_SEASON_YEAR } from '../../shared/contract/season';

/**
 * Parses a comma list of season start years ("2022,2023") as given on the command line or in
 * `GEOCROP_DEMO_SEASONS`; throws a message that says what to write instead.
 */
export function parseSeasons(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('Give at least one season start year, e.g. "2022,2023"');
  const years = parts.map((p) => {
    const y = Number(p);
    if (!Number.isInteger(y) || y < FIRST_SEASON_YEAR || y > 2100) throw new Error(`"${p}" is not a season start year: use years from ${FIRST_SEASON_YEAR}, e.g. "2022,2023"`);
    return y;
  });
  return [...new Set(years)].sort((a, b) => a - b);
}
