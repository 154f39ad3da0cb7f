/** Writing CSV (engine/data/csv-row.ts), read back by the lab's own RFC 4180 reader (data/csv.ts). */
import { describe, expect, it } from 'vitest';
import { tableRows, type CsvError } from '../../src/engine/data/csv';
import { csvField, csvRow } from '../../src/engine/data/csv-row';

const readBack = (text: string) => {
  const errors: CsvError[] = [];
  const rows = tableRows(text, errors).map((r) => r.fields);
  expect(errors).toEqual([]);
  return rows;
};

describe('csv rows', () => {
  it('quote a field only when it holds a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('Deep hedger')).toBe('Deep hedger');
    expect(csvField('Deep hedger, 2x8')).toBe('"Deep hedger, 2x8"');
    expect(csvField('the "band"')).toBe('"the ""band"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(true)).toBe('true');
    expect(csvRow(['a,b', 'c', 3])).toBe('"a,b",c,3');
  });

  it('read back to the same fields, and numbers to the same doubles', () => {
    const names = ['Deep hedger, 2x8', 'Whalley-Wilmott "band"', 'a\r\nb', ',', '"', ''];
    const numbers = [0.1 + 0.2, -1.2345678901234567e-12, 1 / 3, 5e-324, Number.MAX_VALUE, 42];
    const rows = readBack([csvRow(names), csvRow(numbers)].join('\n') + '\n');
    expect(rows[0]).toEqual(names);
    expect(rows[1]!.map(Number)).toEqual(numbers);
  });
});
