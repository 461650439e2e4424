import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TableError, encodeLabels, parseTable, readTableFile, tableColumns } from './table';

const CROPMASK = fileURLToPath(new URL('../../../shared/data/labels/cropmask_southeast_train.txt', import.meta.url));

function tableError(f: () => unknown): TableError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TableError);
    return e as TableError;
  }
  throw new Error('expected a TableError');
}

describe('parseTable', () => {
  it('reads a whitespace table with a "# " header, label by name, features in file order', () => {
    const ds = parseTable('# Class a b\n1.000000 0.5 2\n\n0.000000  -1e-2\t3\n', { label: 'Class' });
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(ds.classes).toEqual(['0', '1']);
    expect([...ds.y]).toEqual([1, 0]);
    expect(ds.x.rows).toBe(2);
    expect(ds.x.cols).toBe(2);
    expect([...ds.x.data]).toEqual([0.5, 2, Math.fround(-0.01), 3]);
  });

  it('reads CSV with a plain header and picks and orders features as asked', () => {
    const ds = parseTable('crop,red,nir,ndvi\nmaize,0.1,0.4,0.6\r\nwater,0.05,0.02,-0.4\r\nmaize,0.12,0.38,0.52\r\n', {
      label: 'crop',
      features: ['ndvi', 'red'],
    });
    expect(ds.featureNames).toEqual(['ndvi', 'red']);
    expect(ds.classes).toEqual(['maize', 'water']);
    expect([...ds.y]).toEqual([0, 1, 0]);
    expect([...ds.x.data]).toEqual([0.6, 0.1, -0.4, 0.05, 0.52, 0.12].map(Math.fround));
  });

  it('names the columns column1… when there is no header', () => {
    const ds = parseTable('3 1 2\n10 4 5\n9 6 7\n', { label: 'column1' });
    expect(ds.featureNames).toEqual(['column2', 'column3']);
    // Numeric labels sort as numbers, not strings.
    expect(ds.classes).toEqual(['3', '9', '10']);
    expect([...ds.y]).toEqual([0, 2, 1]);
  });

  it('skips comment lines after the header', () => {
    const ds = parseTable('# y x\n1 2\n# a note\n0 3\n', { label: 'y' });
    expect(ds.x.rows).toBe(2);
  });

  it('names line and column of a bad value', () => {
    const e = tableError(() => parseTable('# Class a b\n1 0.5 2\n0 0.4 n/a\n', { label: 'Class', source: 'f.txt' }));
    expect(e.message).toBe('f.txt:3: column "b" (3) "n/a" is not a number');
    expect(e.line).toBe(3);
    expect(e.column).toBe('b');
  });

  it('reports an empty CSV cell as empty, with the physical line number', () => {
    const e = tableError(() => parseTable('label,a,b\n\n1,2,3\n0,,3\n', { label: 'label', source: 'x.csv' }));
    expect(e.message).toBe('x.csv:4: column "a" (2) is empty');
  });

  it('rejects rows with the wrong number of values', () => {
    const e = tableError(() => parseTable('# c a b\n1 2 3\n1 2\n', { label: 'c' }));
    expect(e.message).toContain(':3: expected 3 values, found 2');
  });

  it('rejects NaN, infinities and values beyond float32', () => {
    expect(tableError(() => parseTable('# c a\n1 NaN\n', { label: 'c' })).message).toContain('"NaN" is not a number');
    expect(tableError(() => parseTable('# c a\n1 Infinity\n', { label: 'c' })).message).toContain('"Infinity" is not a number');
    expect(tableError(() => parseTable('# c a\n1 1e39\n', { label: 'c' })).message).toContain('overflows float32');
  });

  it('lists the columns when the label or a feature is unknown', () => {
    expect(tableError(() => parseTable('# Class a\n1 2\n', { label: 'class' })).message).toBe('table: no column "class"; columns are: Class, a');
    expect(tableError(() => parseTable('# Class a\n1 2\n', { label: 'Class', features: ['b'] })).column).toBe('b');
  });

  it('rejects the label as a feature, duplicate names, and tables without rows', () => {
    expect(() => parseTable('# c a\n1 2\n', { label: 'c', features: ['c'] })).toThrow(/also listed as a feature/);
    expect(() => parseTable('# c a a\n1 2 3\n', { label: 'c' })).toThrow(/"a" appears twice/);
    expect(() => parseTable('\n\n', { label: 'c' })).toThrow(/empty/);
    expect(() => parseTable('# c a\n', { label: 'c' })).toThrow(/no rows/);
  });
});

describe('tableColumns', () => {
  it('reads the header as parseTable does, without reading the rows', () => {
    expect(tableColumns('\n# Class ndvi red\n1 0.6 0.05\n')).toEqual(['Class', 'ndvi', 'red']);
    expect(tableColumns('label,"nir",red\nmaize,0.4,0.1')).toEqual(['label', 'nir', 'red']);
    expect(tableColumns('0.1 0.2 3\n')).toEqual(['column1', 'column2', 'column3']);
    // A malformed row far below does not matter; a duplicated header name does.
    expect(tableColumns('# a b\n1 2\nbroken')).toEqual(['a', 'b']);
    expect(() => tableColumns('# a a\n1 2\n', 'x.txt')).toThrow(/x\.txt:1: column "a" appears twice/);
  });
});

describe('encodeLabels', () => {
  it('merges numerically equal labels', () => {
    const { classes, y } = encodeLabels(['1.000000', '1', '0.0', '2e0']);
    expect(classes).toEqual(['0', '1', '2']);
    expect([...y]).toEqual([1, 1, 0, 2]);
  });
});

const hasData = existsSync(CROPMASK);
if (!hasData) console.warn(`SKIPPED: the real-file table tests need ${CROPMASK} (the shared data directory is absent)`);

describe.skipIf(!hasData)(`the DE Africa crop-mask training file${hasData ? '' : ' (skipped: shared data absent)'}`, () => {
  it('reads 3,307 rows, 33 features and the documented class counts', async () => {
    const ds = await readTableFile(CROPMASK, { label: 'Class' });
    expect(ds.x.rows).toBe(3307);
    expect(ds.x.cols).toBe(33);
    expect(ds.featureNames[0]).toBe('blue_S1');
    expect(ds.featureNames.at(-1)).toBe('slope');
    expect(ds.featureNames).toContain('NDVI_S2');
    expect(ds.classes).toEqual(['0', '1']);
    expect(ds.y.filter((v) => v === 1).length).toBe(1450);
    expect(ds.y.filter((v) => v === 0).length).toBe(1857);
    // First data row: 1.000000 0.060700 0.085700 … 3.952847
    expect(ds.y[0]).toBe(1);
    expect(ds.x.data[0]).toBe(Math.fround(0.0607));
    expect(ds.x.data[32]).toBe(Math.fround(3.952847));
  });

  it('selects features by name in the order given', async () => {
    const ds = await readTableFile(CROPMASK, { label: 'Class', features: ['NDVI_S1', 'rain_S1'] });
    expect(ds.x.cols).toBe(2);
    expect(ds.x.data[0]).toBe(Math.fround(0.313575));
    expect(ds.x.data[1]).toBe(Math.fround(487.999176));
  });
});
