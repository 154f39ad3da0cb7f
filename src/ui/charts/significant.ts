/** How the charts’ text alternatives and the metrics table write numbers. */

/** 3 significant digits, exponent form outside [1e-3, 1e4): the metrics table’s cells. */
export function significant(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/** 3 significant digits without trailing zeros, for counts and durations ("5 days", "1.5 beyond 90%"). */
export const rounded = (x: number): string => String(Number(x.toPrecision(3)));
