/**
 * The corners of a box of parameters, for the extreme-parameter tests (issue 13): every combination of the
 * values listed per axis (its two ends, and any interior points given).
 */
export function corners<T extends Record<string, readonly unknown[]>>(axes: T): { [K in keyof T]: T[K][number] }[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) out = out.flatMap((o) => values.map((v) => ({ ...o, [key]: v })));
  return out as { [K in keyof T]: T[K][number] }[];
}
