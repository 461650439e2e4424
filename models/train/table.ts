/**
 * Reads training tables: comma-separated (CSV) or whitespace-separated text, with an optional header line. The
 * header is either a line starting with `#` (the DE Africa crop-mask training files: `# Class blue_S1 …`) or,
 * when the first line holds a value that is not a number, that line itself (a plain CSV header). Without a
 * header, columns are named `column1`, `column2`, ….
 *
 * Feature values must be finite numbers: a missing or malformed value is an error naming the line and column,
 * because silently imputing it would train on data nobody looked at. The label column may hold numbers or
 * names.
 */
import { readFile } from 'node:fs/promises';
import type { Dataset } from './types';

/** A malformed table: `line` (1-based) and `column` name where the problem is, when there is one. */
export class TableError extends Error {
  override readonly name = 'TableError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** What to take from a table. */
export interface ReadTableOptions {
  /** Name of the label column (e.g. `Class`). */
  label: string;
  /** Feature columns in the order the model will see them; default every column except the label. */
  features?: readonly string[];
  /** Name used in error messages (usually the file path). */
  source?: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function splitter(sample: string): (line: string) => string[] {
  if (sample.includes(',')) return (line) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return (line) => line.trim().split(/\s+/);
}

interface TableHeader {
  names: string[];
  split: (line: string) => string[];
  /** Index of the first line after the header. */
  bodyStart: number;
}

/** Column names (from a `#` line, a non-numeric first line, or `column1…`) and how to split the lines. */
function parseHeader(lines: readonly string[], source: string): TableHeader {
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (i === lines.length) throw new TableError(`${source}: the table is empty`);
  const first = lines[i];
  let split: (line: string) => string[];
  let names: string[];
  if (first.trimStart().startsWith('#')) {
    const body = first.trimStart().slice(1);
    split = splitter(body);
    names = split(body);
    i++;
  } else {
    split = splitter(first);
    const cells = split(first);
    if (cells.some((c) => !NUMBER.test(c))) {
      names = cells;
      i++;
    } else {
      names = cells.map((_, k) => `column${k + 1}`);
    }
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (n === '') throw new TableError(`${source}:${i}: the header has an empty column name`, i);
    if (seen.has(n)) throw new TableError(`${source}:${i}: column "${n}" appears twice in the header`, i, n);
    seen.add(n);
  }
  return { names, split, bodyStart: i };
}

/**
 * The column names of table text, as {@link parseTable} reads them.
 *
 * @example
 * tableColumns('# Class ndvi red\n1 0.6 0.05\n'); // ['Class', 'ndvi', 'red']
 */
export function tableColumns(text: string, source = 'table'): string[] {
  const firstLines = text.slice(0, text.indexOf('\n', text.search(/\S/)) + 1 || text.length);
  return parseHeader(firstLines.split(/\r?\n/), source).names;
}

/** The column names of a table file (Node only). */
export async function readTableHeader(path: string): Promise<string[]> {
  return tableColumns(await readFile(path, 'utf8'), path);
}

/**
 * Parses table text into a {@link Dataset}.
 *
 * @example
 * const ds = parseTable('# Class ndvi red\n1 0.6 0.05\n0 0.2 0.12\n', { label: 'Class' });
 * ds.featureNames; // ['ndvi', 'red']
 * ds.classes; // ['0', '1']
 * ds.y; // Int32Array [1, 0]
 */
export function parseTable(text: string, options: ReadTableOptions): Dataset {
  const source = options.source ?? 'table';
  const lines = text.split(/\r?\n/);
  const header = parseHeader(lines, source);
  const { names, split } = header;
  let i = header.bodyStart;
  const column = (name: string): number => {
    const k = names.indexOf(name);
    if (k < 0) throw new TableError(`${source}: no column "${name}"; columns are: ${names.join(', ')}`, undefined, name);
    return k;
  };
  const labelCol = column(options.label);
  const featureNames = options.features ? [...options.features] : names.filter((_, k) => k !== labelCol);
  const featureCols = featureNames.map(column);
  if (featureCols.includes(labelCol)) throw new TableError(`${source}: the label column "${options.label}" is also listed as a feature`, undefined, options.label);
  if (featureCols.length === 0) throw new TableError(`${source}: no feature columns`);

  const p = featureCols.length;
  let data = new Float32Array(Math.max(16, (lines.length - i) * p));
  const labels: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineNo = i + 1;
    const cells = split(line);
    if (cells.length !== names.length) {
      throw new TableError(`${source}:${lineNo}: expected ${names.length} values, found ${cells.length}`, lineNo);
    }
    const row = labels.length;
    if ((row + 1) * p > data.length) {
      const grown = new Float32Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    for (let j = 0; j < p; j++) {
      const cell = cells[featureCols[j]];
      if (!NUMBER.test(cell)) {
        const what = cell === '' ? 'is empty' : `"${cell}" is not a number`;
        throw new TableError(`${source}:${lineNo}: column "${featureNames[j]}" (${featureCols[j] + 1}) ${what}`, lineNo, featureNames[j]);
      }
      const v = Math.fround(Number(cell));
      if (!Number.isFinite(v)) {
        throw new TableError(`${source}:${lineNo}: column "${featureNames[j]}" (${featureCols[j] + 1}) value ${cell} overflows float32`, lineNo, featureNames[j]);
      }
      data[row * p + j] = v;
    }
    const label = cells[labelCol];
    if (label === '') throw new TableError(`${source}:${lineNo}: label column "${options.label}" is empty`, lineNo, options.label);
    labels.push(label);
  }
  if (labels.length === 0) throw new TableError(`${source}: the table has a header but no rows`);

  const { classes, y } = encodeLabels(labels);
  return {
    x: { data: data.slice(0, labels.length * p), rows: labels.length, cols: p },
    y,
    classes,
    featureNames,
  };
}

/**
 * Class indices for raw labels. Numeric labels are compared as numbers (so `1.000000` and `1` are one class and
 * `10` sorts after `9`); otherwise labels sort as strings.
 */
export function encodeLabels(labels: readonly string[]): { classes: string[]; y: Int32Array } {
  const numeric = labels.every((l) => NUMBER.test(l));
  const keys = numeric ? labels.map((l) => String(Number(l))) : labels;
  const classes = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(classes.map((c, k) => [c, k]));
  const y = new Int32Array(keys.length);
  for (let r = 0; r < keys.length; r++) y[r] = index.get(keys[r])!;
  return { classes, y };
}

/** Reads and parses a table file (Node only). */
export async function readTableFile(path: string, options: Omit<ReadTableOptions, 'source'>): Promise<Dataset> {
  return parseTable(await readFile(path, 'utf8'), { ...options, source: path });
}
