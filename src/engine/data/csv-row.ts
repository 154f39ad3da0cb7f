/**
 * Writing CSV (RFC 4180): a field is quoted, its quotes doubled, when it holds a comma, a quote or a line
 * break; numbers are written as JavaScript's shortest text that reads back to the same double, so a file
 * keeps full precision. Shared by the comparison export and the metrics table's download.
 */

/** One field: `a "b", c` -> `"a ""b"", c"`. */
export function csvField(v: string | number | boolean): string {
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of fields, without its line end. */
export function csvRow(fields: readonly (string | number | boolean)[]): string {
  return fields.map(csvField).join(',');
}
