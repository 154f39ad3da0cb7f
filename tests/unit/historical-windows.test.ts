import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PricePanel } from '../../src/engine/data/price-panel';
import { SP500_MODULE_PATH, sp500Panel } from '../../src/engine/data/sp500';
import { chronologicalSplit, historicalWindows } from '../../src/engine/markets/historical-windows';
import { stream } from '../../src/engine/random/stream';

/** Two assets on `n` dates, random-walk prices in float64. */
function panel(n: number): PricePanel {
  const z = stream(3, 'test', 'windows').normals(new Float64Array(2 * n));
  const close = [0, 1].map((a) => {
    const c = new Float64Array(n);
    c[0] = a === 0 ? 50 : 2000;
    for (let t = 1; t < n; t++) c[t] = c[t - 1] * Math.exp(0.015 * z[a * n + t]);
    return c;
  });
  const dates = Array.from({ length: n }, (_, t) => new Date(Date.UTC(2010, 0, 1) + t * 86_400_000).toISOString().slice(0, 10));
  return { dates, symbols: ['A', 'B'], close };
}

describe('chronologicalSplit (paper 003 §3.1)', () => {
  it('cuts the dates into adjacent train, validation and test ranges in that order', () => {
    expect(chronologicalSplit(1000, { train: 0.7, validation: 0.15 })).toEqual({ train: [0, 700], validation: [700, 850], test: [850, 1000] });
    expect(chronologicalSplit(5105, { train: 0.6, validation: 0 })).toEqual({ train: [0, 3063], validation: [3063, 3063], test: [3063, 5105] });
    for (const n of [0, 1, 7, 101, 5105])
      for (const [train, validation] of [
        [0.1, 0],
        [0.5, 0.25],
        [0.9, 0.05],
        [0.3, 0.7],
      ]) {
        const s = chronologicalSplit(n, { train, validation });
        expect(s.train[0]).toBe(0);
        expect(s.validation[0]).toBe(s.train[1]);
        expect(s.test[0]).toBe(s.validation[1]);
        expect(s.test[1]).toBe(n);
        expect(s.train[1] <= s.validation[1] && s.validation[1] <= n).toBe(true);
        expect(Math.abs(s.train[1] - n * train)).toBeLessThanOrEqual(0.5);
      }
  });

  it('refuses fractions that do not describe a split', () => {
    expect(() => chronologicalSplit(100, { train: 0, validation: 0.1 })).toThrow(RangeError);
    expect(() => chronologicalSplit(100, { train: 0.8, validation: 0.3 })).toThrow(/train \+ validation <= 1/);
    expect(() => chronologicalSplit(100, { train: NaN, validation: 0 })).toThrow(RangeError);
    expect(() => chronologicalSplit(-1, { train: 0.5, validation: 0 })).toThrow(RangeError);
  });
});

describe('historicalWindows (paper 003 §3.1)', () => {
  const p = panel(400);
  const W = 30;

  it('gives range length - windowDays windows with stride 1, and every stride-th one otherwise', () => {
    const s = chronologicalSplit(400, { train: 0.6, validation: 0.2 });
    for (const range of [s.train, s.validation, s.test]) {
      const w = historicalWindows(p, [0, 1], range, W, 100);
      expect(w.count).toBe(range[1] - range[0] - W);
      expect(w.skipped).toBe(0);
      expect(w.paths()).toHaveLength(2);
      expect(w.paths()[0]).toHaveLength(w.count * (W + 1));
      expect(Array.from(w.startIndices)).toEqual(Array.from({ length: w.count }, (_, k) => range[0] + k));
      expect(w.startDates).toEqual(Array.from(w.startIndices, (i) => p.dates[i]));
    }
    const strided = historicalWindows(p, [0], [10, 200], W, 100, 7);
    expect(strided.count).toBe(Math.floor((190 - W - 1) / 7) + 1);
    expect(Array.from(strided.startIndices).every((i, k) => i === 10 + 7 * k)).toBe(true);
    expect(historicalWindows(p, [0], [10, 10 + W], W, 100).count).toBe(0);
    expect(historicalWindows(p, [0], [10, 11 + W], W, 100).count).toBe(1);
  });

  it('starts every window at s0, and keeps the returns of the source inside each window', () => {
    const w = historicalWindows(p, [0, 1], [0, 400], W, 100);
    const cols = W + 1;
    const paths = w.paths();
    for (let a = 0; a < 2; a++) {
      const close = p.close[a];
      for (let k = 0; k < w.count; k++) {
        const i = w.startIndices[k];
        const row = paths[a].subarray(k * cols, (k + 1) * cols);
        expect(row[0]).toBe(100);
        for (let j = 1; j < cols; j++) {
          expect(Math.abs(Math.log(row[j] / row[j - 1]) - Math.log(close[i + j] / close[i + j - 1]))).toBeLessThan(2e-7);
          expect(Math.abs(row[j] / (100 * (close[i + j] / close[i])) - 1)).toBeLessThan(1e-7);
        }
      }
    }
  });

  it('never reads a price outside the range: poisoning the dates outside it changes nothing', () => {
    const range: [number, number] = [120, 260];
    const clean = historicalWindows(p, [0, 1], range, W, 100);
    const poisoned: PricePanel = { ...p, close: p.close.map((c) => c.map((x, t) => (t >= range[0] && t < range[1] ? x : t % 2 ? NaN : 1e300))) };
    const w = historicalWindows(poisoned, [0, 1], range, W, 100);
    expect(w.count).toBe(range[1] - range[0] - W);
    expect(w.skipped).toBe(0);
    expect(w.paths()).toEqual(clean.paths());
    for (const i of w.startIndices) expect(i + W).toBeLessThan(range[1]);
  });

  it('skips and counts every window with a missing price in a selected symbol, and only those', () => {
    const gap = 200;
    const holed: PricePanel = { ...p, close: [p.close[0], p.close[1].map((x, t) => (t === gap ? NaN : x))] };
    const both = historicalWindows(holed, [0, 1], [0, 400], W, 100);
    expect(both.skipped).toBe(W + 1);
    expect(both.count).toBe(400 - W - (W + 1));
    for (const i of both.startIndices) expect(i > gap || i + W < gap).toBe(true);
    expect(Array.from(both.paths()[1]).every(Number.isFinite)).toBe(true);
    expect(Array.from(both.gaps)).toEqual([gap]);
    // Symbol A alone has no gap.
    expect(historicalWindows(holed, [0], [0, 400], W, 100)).toMatchObject({ count: 400 - W, skipped: 0 });
    // A gap just outside the range does not matter.
    expect(historicalWindows(holed, [0, 1], [gap + 1, 400], W, 100)).toMatchObject({ count: 400 - gap - 1 - W, skipped: 0 });
  });

  it('builds any chosen windows on demand, equal to the same rows of all of them', () => {
    const w = historicalWindows(p, [0, 1], [0, 400], W, 100);
    const all = w.paths();
    const rows = [5, 0, 5, w.count - 1];
    const cols = W + 1;
    const some = w.paths(rows);
    for (let a = 0; a < 2; a++) {
      expect(some[a]).toHaveLength(rows.length * cols);
      rows.forEach((r, k) => expect(some[a].subarray(k * cols, (k + 1) * cols)).toEqual(all[a].subarray(r * cols, (r + 1) * cols)));
    }
    expect(w.paths([])).toEqual([new Float32Array(0), new Float32Array(0)]);
  });

  it('refuses arguments that name no window', () => {
    expect(() => historicalWindows(p, [2], [0, 400], W, 100)).toThrow(/symbol index 2/);
    expect(() => historicalWindows(p, [], [0, 400], W, 100)).toThrow(RangeError);
    expect(() => historicalWindows(p, [0], [0, 401], W, 100)).toThrow(/range \[0, 401\)/);
    expect(() => historicalWindows(p, [0], [0, 400], 0, 100)).toThrow(RangeError);
    expect(() => historicalWindows(p, [0], [0, 400], W, 0)).toThrow(RangeError);
    expect(() => historicalWindows(p, [0], [0, 400], W, 100, 0)).toThrow(RangeError);
  });

  it('cuts the bundled S&P 500 series into one-month windows by a 70/15/15 split', () => {
    const spx = sp500Panel(readFileSync(join(process.cwd(), 'node_modules', SP500_MODULE_PATH), 'utf8'));
    const s = chronologicalSplit(spx.dates.length, { train: 0.7, validation: 0.15 });
    expect(s).toEqual({ train: [0, 3574], validation: [3574, 4339], test: [4339, 5105] });
    const train = historicalWindows(spx, [0], s.train, 30, 100);
    const test = historicalWindows(spx, [0], s.test, 30, 100);
    expect(train.count).toBe(3544);
    expect(test.count).toBe(736);
    expect(train.startDates[0]).toBe('2000-01-03');
    // The last training window ends on the last training date, before the first validation date.
    expect(spx.dates[train.startIndices[train.count - 1] + 30]).toBe(spx.dates[s.train[1] - 1]);
    expect(spx.dates[s.train[1] - 1] < spx.dates[s.validation[0]]).toBe(true);
    expect(test.startDates[0]).toBe(spx.dates[4339]);
  });
});
