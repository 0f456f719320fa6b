import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../../src/data/csv.js';
import { dataFileRefusal } from '../helpers/data-file-refusal.js';
import { DataFileError } from '../../src/data/data-file-error.js';

const houses = ['size,city,rooms,price', '50,Lyon,2,150000', '"80",Paris,3,420000', '', '65,Lyon,3,"210000"', '120,Nice,5,500000'].join('\n');
const failure = (text: string, options: Parameters<typeof parseCsvDataset>[2]) => dataFileRefusal(() => parseCsvDataset(text, 'x.csv', options));

describe('parseCsvDataset', () => {
  it('reads numeric features, one-hot encodes categorical columns (sorted), and keeps regression targets', () => {
    const d = parseCsvDataset(houses, 'x.csv', { target: 'price', categorical: ['city'], task: 'regression' });
    expect(d.featureNames).toEqual(['size', 'city=Lyon', 'city=Nice', 'city=Paris', 'rooms']);
    expect(d.featureShape).toEqual([5]);
    expect(Array.from(d.x.subarray(5, 10))).toEqual([80, 0, 0, 1, 3]);
    expect(Array.from(d.targets!)).toEqual([150000, 420000, 210000, 500000]);
    expect(d.task).toBe('regression');
  });

  it('uses only the listed feature columns, in their order', () => {
    const d = parseCsvDataset(houses, 'x.csv', { target: 'price', features: ['rooms', 'size'], task: 'regression' });
    expect(Array.from(d.x.subarray(0, 2))).toEqual([2, 50]);
  });

  it('numbers classes in numeric order when the labels are numbers, in string order otherwise', () => {
    const numeric = parseCsvDataset('a,y\n1,10\n2,2\n3,10\n', 'x.csv', { target: 'y', task: 'classification' });
    expect(numeric.classNames).toEqual(['2', '10']);
    expect(Array.from(numeric.labels)).toEqual([1, 0, 1]);
    const named = parseCsvDataset('a,y\r\n1,spam\r\n2,ham\r\n', 'x.csv', { target: 'y', task: 'classification' });
    expect(named.classNames).toEqual(['ham', 'spam']);
    expect(named.numClasses).toBe(2);
  });

  it('reads a byte-order mark, CRLF line ends and quoted cells with commas', () => {
    const d = parseCsvDataset('\uFEFFa,label\r\n1,"x, y"\r\n2,z\r\n', 'x.csv', { target: 'label', task: 'classification' });
    expect(d.classNames).toEqual(['x, y', 'z']);
  });

  it.each([
    {
      name: 'a missing target column',
      text: houses,
      options: { target: 'prise', task: 'regression' as const },
      field: 'target',
      message: 'Reading x.csv failed: no column "prise"; the header has "size", "city", "rooms", "price".',
    },
    {
      name: 'a missing feature column',
      text: houses,
      options: { target: 'price', features: ['area'], task: 'regression' as const },
      field: 'features',
      message: 'Reading x.csv failed: no column "area"; the header has "size", "city", "rooms", "price".',
    },
    {
      name: 'a non-numeric cell, with its line',
      text: houses,
      options: { target: 'price', task: 'regression' as const },
      field: 'path',
      message:
        'Reading x.csv failed: line 2, column "city": "Lyon" is not a number (list the column in data.categorical to one-hot encode it). And 3 more cells of this column like it.',
    },
    {
      name: 'an empty cell, counting the blank line',
      text: houses.replace('65,Lyon', ',Lyon'),
      options: { target: 'price', categorical: ['city'], task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: line 5, column "size": empty cell; fill it or drop the row.',
    },
    {
      name: 'a ragged row',
      text: 'a,b,y\n1,2,3\n4,5\n',
      options: { target: 'y', task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: ragged row: 2 cells where the header has 3 (line 3).',
    },
    {
      name: 'an unclosed quote',
      text: 'a,y\n1,"2\n',
      options: { target: 'y', task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: quote not closed: the parsing is finished with an opening quote (line 2).',
    },
    {
      name: 'a text target in a regression',
      text: 'a,y\n1,big\n',
      options: { target: 'y', task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: line 2, column "y": "big" is not a number (use task: classification for a column of labels).',
    },
    {
      name: 'one class only',
      text: 'a,y\n1,ok\n2,ok\n',
      options: { target: 'y', task: 'classification' as const },
      field: 'target',
      message: 'Reading x.csv failed: column "y" has a single value ("ok"); a classifier needs at least two classes.',
    },
    {
      name: 'a header without rows',
      text: 'a,y\n',
      options: { target: 'y', task: 'classification' as const },
      field: 'path',
      message: 'Reading x.csv failed: the file has a header but no data rows.',
    },
    {
      name: 'an empty file',
      text: '',
      options: { target: 'y', task: 'classification' as const },
      field: 'path',
      message: 'Reading x.csv failed: the file is empty; expected a header row and data rows.',
    },
    {
      name: 'a duplicated column',
      text: 'a,a,y\n1,2,3\n',
      options: { target: 'y', task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: column "a" appears twice in the header.',
    },
    {
      name: 'infinity',
      text: 'a,y\nInfinity,1\n2,2\n',
      options: { target: 'y', task: 'regression' as const },
      field: 'path',
      message: 'Reading x.csv failed: line 2, column "a": "Infinity" is not a number (list the column in data.categorical to one-hot encode it).',
    },
  ])('refuses $name in one line naming the file', ({ text, options, field, message }) => {
    expect(failure(text, options)).toEqual({ field, message });
  });
});

describe('parseCsvDataset messages', () => {
  it('stay on one line when a quoted cell holds a line break', () => {
    expect(() => parseCsvDataset('a,y\n"1\n2",3\n', 'x.csv', { target: 'y', task: 'regression' })).toThrow(
      /^Reading x\.csv failed: line 3, column "a": "1 2" is not a number/,
    );
  });
});

describe('parseCsvDataset reports every bad cell at once', () => {
  it('lists them in file order, features and target alike, a column of many once', () => {
    const rows = ['a,b,y', '1,x,2', '2,3,big', ',4,5', ...Array.from({ length: 12 }, (_, i) => `q${i},1,1`)];
    let error: DataFileError | undefined;
    try {
      parseCsvDataset(rows.join('\n'), 'x.csv', { target: 'y', task: 'regression' });
    } catch (err) {
      error = err as DataFileError;
    }
    expect(error?.messages).toEqual([
      'Reading x.csv failed: line 2, column "b": "x" is not a number (list the column in data.categorical to one-hot encode it).',
      'Reading x.csv failed: line 3, column "y": "big" is not a number (use task: classification for a column of labels).',
      'Reading x.csv failed: line 4, column "a": empty cell; fill it or drop the row.',
      'Reading x.csv failed: line 5, column "a": "q0" is not a number (list the column in data.categorical to one-hot encode it). And 11 more cells of this column like it.',
    ]);
  });

  it('counts the problems beyond ten', () => {
    const header = [...Array.from({ length: 12 }, (_, i) => `c${i}`), 'y'].join(',');
    let error: DataFileError | undefined;
    try {
      parseCsvDataset(
        [header, [...Array.from({ length: 12 }, () => 'x'), '1'].join(','), [...Array.from({ length: 12 }, () => '1'), '0'].join(',')].join('\n'),
        'x.csv',
        { target: 'y', task: 'classification' },
      );
    } catch (err) {
      error = err as DataFileError;
    }
    expect(error?.messages).toHaveLength(11);
    expect(error?.messages[10]).toBe('Reading x.csv failed: 2 more cells like these.');
  });
});
